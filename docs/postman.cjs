#!/usr/bin/env node
// `make postman`: build docs/build/cloudcx.postman_collection.json from spec/cloudcx.yaml.
//
// openapi-to-postmanv2 (pinned in package.json) converts every operation; this script then fits
// the result to the vendor's Postman walk-through, for every operation in the spec:
//   * the token operation (the one with no security and a form body) posts its form to
//     {{tokenUrl}} with {{clientId}}, {{clientSecret}}, {{username}}, {{password}}, and its test
//     script stores the access token as {{accessToken}}; it runs first;
//   * every other operation sends `Authorization: Bearer {{accessToken}}` to {{baseUrl}}, and has
//     a twin "(API key)" that sends `Bearer {{apiKey}}`;
//   * every request carries tests drawn from its 200 response schema: the status, `code` "0000"
//     for envelopes, and the required fields of the body and of its `data` (of each item when
//     `data` is a list).
// The collection's variables are exactly baseUrl, tokenUrl, clientId, clientSecret, username,
// password and apiKey; pass them (e.g. `newman run ... --env-var baseUrl=...`) to use the
// collection against any CloudCX-compatible server, unchanged.
//
// Usage: node docs/postman.cjs [SPEC] [OUTPUT]
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const yaml = require("js-yaml");
const Converter = require("openapi-to-postmanv2");

const ROOT = path.resolve(__dirname, "..");
const specPath = process.argv[2] ?? path.join(ROOT, "spec", "cloudcx.yaml");
const outputPath =
  process.argv[3] ?? path.join(ROOT, "docs", "build", "cloudcx.postman_collection.json");

/** The form fields the seed's users type in, and the collection variables that carry them. */
const FORM_VARIABLES = {
  client_id: "clientId",
  client_secret: "clientSecret",
  username: "username",
  password: "password",
};
const METHODS = ["get", "put", "post", "delete", "patch"];

function resolve(spec, schema) {
  let found = schema ?? {};
  while (found.$ref) {
    found = found.$ref
      .slice(2)
      .split("/")
      .reduce((node, key) => node[key], spec);
  }
  return found;
}

/** The operation the converter's request stands for, found by method and path. */
function operationFor(spec, request) {
  const requestPath = "/" + request.url.path.join("/");
  for (const [template, item] of Object.entries(spec.paths)) {
    const pattern = new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$");
    const operation = item[request.method.toLowerCase()];
    if (operation && pattern.test(requestPath.replace(/:[^/]+/g, "x"))) {
      return operation;
    }
  }
  throw new Error(`no operation in the spec for ${request.method} ${requestPath}`);
}

function isTokenOperation(operation) {
  const content = operation.requestBody?.content ?? {};
  return (
    Array.isArray(operation.security) &&
    operation.security.length === 0 &&
    "application/x-www-form-urlencoded" in content
  );
}

function testEvent(lines) {
  return { listen: "test", script: { type: "text/javascript", exec: lines } };
}

/** Postman tests for a 200 answer, from the operation's 200 response schema. */
function responseTests(spec, operation) {
  const lines = [
    'pm.test("status is 200", function () {',
    "    pm.response.to.have.status(200);",
    "});",
  ];
  const schema = resolve(spec, operation.responses?.["200"]?.content?.["application/json"]?.schema);
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  lines.push("const body = pm.response.json();");
  lines.push(`pm.test("the body has ${required.join(", ")}", function () {`);
  for (const name of required) {
    lines.push(`    pm.expect(body).to.have.property(${JSON.stringify(name)});`);
  }
  lines.push("});");
  if ("code" in properties && "data" in properties) {
    lines.push('pm.test("code is \\"0000\\"", function () {');
    lines.push('    pm.expect(body.code).to.eql("0000");');
    lines.push("});");
    const data = resolve(spec, properties.data.allOf?.[0] ?? properties.data.oneOf?.[0] ?? properties.data);
    const fields = data.required ?? [];
    if ([].concat(data.type).includes("array")) {
      // A list: every item has the required fields of the items' schema.
      const itemFields = resolve(spec, data.items).required ?? [];
      lines.push(`pm.test("data is a list of items with ${itemFields.join(", ")}", function () {`);
      lines.push("    pm.expect(body.data).to.be.an(\"array\");");
      lines.push("    body.data.forEach(function (item) {");
      for (const name of itemFields) {
        lines.push(`        pm.expect(item).to.have.property(${JSON.stringify(name)});`);
      }
      lines.push("    });");
      lines.push("});");
    } else if (fields.length > 0) {
      lines.push(`pm.test("data has the ${fields.join(", ")} of its shape", function () {`);
      lines.push("    pm.expect(body.data).to.be.an(\"object\");");
      for (const name of fields) {
        const kind = resolve(spec, data.properties?.[name]).type;
        const check = kind === "array" ? ".that.is.an(\"array\")" : "";
        lines.push(`    pm.expect(body.data).to.have.property(${JSON.stringify(name)})${check};`);
      }
      lines.push("});");
    }
  }
  return lines;
}

function bearer(variable) {
  return { type: "bearer", bearer: [{ key: "token", value: `{{${variable}}}`, type: "string" }] };
}

/** The request's URL on `{{base}}`, keeping the converter's query and path parameters. */
function urlOn(base, request, operation, spec) {
  const query = request.url.query ?? [];
  const search = query.filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`);
  return {
    raw: [`{{${base}}}`, ...request.url.path].join("/") + (search.length ? "?" + search.join("&") : ""),
    host: [`{{${base}}}`],
    path: request.url.path,
    query,
    // Without them Postman and newman send `:name` literally in the path.
    variable: pathVariables(spec, operation, request),
  };
}

/** The path variables (`:name`), valued from the spec's example or default when it has one. */
function pathVariables(spec, operation, request) {
  const inPath = (operation.parameters ?? [])
    .map((parameter) => resolve(spec, parameter))
    .filter((parameter) => parameter.in === "path");
  const inUrl = (variable) => request.url.path.includes(`:${variable.key}`);
  return (request.url.variable ?? []).filter(inUrl).map((variable) => {
    const parameter = inPath.find((candidate) => candidate.name === variable.key) ?? {};
    const schema = resolve(spec, parameter.schema);
    const named = Object.values(parameter.examples ?? {}).map((example) => resolve(spec, example).value);
    const known = [parameter.example, ...named, schema.example, schema.default].find(
      (value) => value !== undefined && value !== null,
    );
    return known === undefined ? variable : { ...variable, value: String(known) };
  });
}

function tokenItem(spec, item) {
  const request = item.request;
  // A plain string: a URL object with an empty path would gain a trailing "/".
  request.url = "{{tokenUrl}}";
  request.auth = { type: "noauth" };
  for (const field of request.body.urlencoded) {
    if (field.key in FORM_VARIABLES) {
      field.value = `{{${FORM_VARIABLES[field.key]}}}`;
    }
  }
  item.event = [
    testEvent([
      'pm.test("status is 200", function () {',
      "    pm.response.to.have.status(200);",
      "});",
      "const token = pm.response.json();",
      'pm.test("a bearer access token", function () {',
      '    pm.expect(token.access_token).to.be.a("string").and.not.empty;',
      '    pm.expect(String(token.token_type).toLowerCase()).to.eql("bearer");',
      "});",
      "// Every other request sends it as `Authorization: Bearer {{accessToken}}`.",
      'pm.collectionVariables.set("accessToken", token.access_token);',
    ]),
  ];
  delete item.response;
  return [item];
}

function apiItems(spec, operation, item) {
  const request = item.request;
  request.url = urlOn("baseUrl", request, operation, spec);
  const withToken = JSON.parse(JSON.stringify(item));
  withToken.request.auth = bearer("accessToken");
  withToken.event = [testEvent(responseTests(spec, operation))];
  const withKey = JSON.parse(JSON.stringify(withToken));
  withKey.name = `${item.name} (API key)`;
  withKey.request.name = withKey.name;
  withKey.request.auth = bearer("apiKey");
  for (const twin of [withToken, withKey]) {
    delete twin.response;
    delete twin.id;
  }
  return [withToken, withKey];
}

function tokenUrlOf(spec) {
  for (const scheme of Object.values(spec.components?.securitySchemes ?? {})) {
    const url = scheme.flows?.password?.tokenUrl;
    if (url) return url;
  }
  return "";
}

function serverDefault(server) {
  return Object.entries(server.variables ?? {}).reduce(
    (url, [name, variable]) => url.replace(`{${name}}`, variable.default),
    server.url,
  );
}

function fit(spec, collection) {
  const leaves = [];
  const walk = (items) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      else leaves.push(item);
    }
  };
  walk(collection.item);
  const tokenItems = [];
  const apiItemsAll = [];
  for (const item of leaves) {
    const operation = operationFor(spec, item.request);
    if (isTokenOperation(operation)) tokenItems.push(...tokenItem(spec, item));
    else apiItemsAll.push(...apiItems(spec, operation, item));
  }
  if (tokenItems.length === 0) throw new Error("the spec has no token operation");
  // The token request first: it sets {{accessToken}} for the others.
  collection.item = [...tokenItems, ...apiItemsAll];
  collection.auth = undefined;
  collection.variable = [
    ["baseUrl", serverDefault(spec.servers[0]), "The API host, e.g. https://cloudcx.example.com"],
    ["tokenUrl", tokenUrlOf(spec), "The token endpoint on the Control Panel domain, e.g. https://cx.cloudfon.net:9001/oauth/token"],
    ["clientId", "", "Global Settings > Security > OAuth Client: the Client ID"],
    ["clientSecret", "", "The OAuth client's secret (leave empty for a public client)"],
    ["username", "", "The user's login (the vendor's Postman text calls it email)"],
    ["password", "", "The user's password"],
    ["apiKey", "", "Global Settings > Security > API Key"],
  ].map(([key, value, description]) => ({ key, value, type: "string", description }));
  return collection;
}

const spec = yaml.load(fs.readFileSync(specPath, "utf8"));
Converter.convert(
  { type: "file", data: specPath },
  { folderStrategy: "Tags", requestParametersResolution: "Example" },
  (error, result) => {
    if (error || !result.result) {
      console.error(`openapi-to-postmanv2 failed: ${error ?? result.reason}`);
      process.exit(1);
    }
    const collection = fit(spec, result.output[0].data);
    fs.mkdirSync(path.dirname(outputPath), { recursive: true });
    fs.writeFileSync(outputPath, JSON.stringify(collection, null, 2) + "\n");
    console.log(`postman: wrote ${path.relative(ROOT, outputPath)} (${collection.item.length} requests)`);
  },
);
