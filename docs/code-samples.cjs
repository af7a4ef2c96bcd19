#!/usr/bin/env node
// `make docs`, first step: copy spec/cloudcx.yaml with `x-codeSamples` (cURL and Python) added to
// every operation, drawn from the operation itself (server, path, parameter examples, the first
// request-body example, security), so a new operation gets its samples with nothing written by
// hand. Redocly then renders the copy; the spec itself stays free of generated text.
//
// Usage: node docs/code-samples.cjs SPEC OUTPUT
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const yaml = require("js-yaml");

const [specPath, outputPath] = process.argv.slice(2);
if (!specPath || !outputPath) {
  console.error("usage: node docs/code-samples.cjs SPEC OUTPUT");
  process.exit(2);
}
const METHODS = ["get", "put", "post", "delete", "patch"];

function serverUrl(server) {
  return Object.entries(server.variables ?? {}).reduce(
    (url, [name, variable]) => url.replace(`{${name}}`, variable.default),
    server.url,
  );
}

/** snake_case as the generator spells resources and methods ("Call Queues" -> call_queues). */
function snake(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join("_")
    .toLowerCase();
}

function exampleOf(parameter) {
  return parameter.example ?? parameter.schema?.example ?? parameter.schema?.default;
}

/** A JSON value as Python source. */
function pythonLiteral(value) {
  if (value === PLACEHOLDER) return "...";
  if (value === null) return "None";
  if (value === true || value === false) return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${pythonLiteral(item)}`);
    return `{${items.join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Each path parameter with its example, or `...` where the spec gives none. */
function pathArgs(operation) {
  return (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "path")
    .map((parameter) => [parameter.name, exampleOf(parameter) ?? PLACEHOLDER]);
}

/** Stands for a value the reader fills in; printed bare (`...` is valid Python). */
const PLACEHOLDER = { toString: () => "..." };

/** The path with each parameter that has an example filled in ({name} is kept otherwise). */
function filledPath(template, operation) {
  return pathArgs(operation).reduce(
    (url, [name, value]) =>
      value === PLACEHOLDER ? url : url.replace(`{${name}}`, encodeURIComponent(String(value))),
    template,
  );
}

function resolve(node) {
  let found = node ?? {};
  while (found.$ref) {
    found = found.$ref.slice(2).split("/").reduce((parent, key) => parent[key], spec);
  }
  return found;
}

/** A JSON body built from its schema: the required properties and those with an example or default. */
function bodyFromSchema(schema) {
  const standIns = { string: "...", integer: 0, number: 0, boolean: false, array: [], object: {} };
  const required = new Set(schema.required ?? []);
  const body = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const resolved = resolve(property);
    const known = resolved.example ?? resolved.default;
    if (known !== undefined) body[name] = known;
    else if (required.has(name)) body[name] = standIns[resolved.type] ?? null;
  }
  return body;
}

function firstBodyExample(operation) {
  const contents = Object.entries(resolve(operation.requestBody).content ?? {});
  for (const [mediaType, content] of contents) {
    const example = Object.values(content.examples ?? {})[0]?.value ?? content.example;
    if (example !== undefined) return { mediaType, example };
  }
  // No example: a JSON body is still sent, built from the schema, so the sample works.
  const json = contents.find(([mediaType]) => mediaType === "application/json");
  return json ? { mediaType: json[0], example: bodyFromSchema(resolve(json[1].schema)) } : undefined;
}

function curlSample(url, method, operation, query) {
  const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
  const lines = [`curl --location --request ${method.toUpperCase()} '${url}${search ? "?" + search : ""}'`];
  if ((operation.security ?? [{}]).length > 0) {
    lines.push(`--header 'Authorization: Bearer {access_token or API key}'`);
  }
  const body = firstBodyExample(operation);
  if (body?.mediaType === "application/x-www-form-urlencoded") {
    lines.push(`--header 'Content-Type: ${body.mediaType}'`);
    for (const [name, value] of Object.entries(body.example)) {
      lines.push(`--data-urlencode '${name}=${value}'`);
    }
  } else if (body) {
    lines.push(`--header 'Content-Type: ${body.mediaType}'`);
    lines.push(`--data '${JSON.stringify(body.example)}'`);
  }
  return lines.join(" \\\n  ");
}

function pythonSample(spec, url, operation, query) {
  const body = firstBodyExample(operation);
  if ((operation.security ?? [{}]).length === 0) {
    // An operation without authentication (the token request): plain HTTP with httpx.
    const form = JSON.stringify(body?.example ?? {}, null, 4).replace(/\n/g, "\n");
    return [
      "import httpx",
      "",
      `response = httpx.post(\n    "${url}",\n    data=${form},\n)`,
      "print(response.json())",
    ].join("\n");
  }
  // The typed method the generator makes: cx.<first tag>.<x-cloudcx-method or operationId>.
  const resource = snake(operation.tags?.[0] ?? "default");
  const method = operation["x-cloudcx-method"] ?? snake(operation.operationId);
  const bodyArgs = Object.entries(body?.mediaType === "application/json" ? body.example : {});
  const args = [...pathArgs(operation), ...query, ...bodyArgs].map(
    ([name, value]) => `${snake(name)}=${pythonLiteral(value)}`,
  );
  const tokenUrl = Object.values(spec.components?.securitySchemes ?? {}).find(
    (scheme) => scheme.flows?.password?.tokenUrl,
  )?.flows.password.tokenUrl;
  return [
    "from cloudcx import CloudCX",
    "",
    "with CloudCX(",
    `    base_url="${serverUrl(spec.servers[0])}",`,
    `    token_url="${tokenUrl}",`,
    '    client_id="...", client_secret="...", username="...", password="...",',
    '    # or api_key="..." instead of the four above',
    ") as cx:",
    `    result = cx.${resource}.${method}(${args.join(", ")})`,
    "    print(result)",
  ].join("\n");
}

const spec = yaml.load(fs.readFileSync(specPath, "utf8"));
let count = 0;
for (const [template, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const server = operation.servers?.[0] ?? item.servers?.[0] ?? spec.servers[0];
    const url = serverUrl(server) + filledPath(template, operation);
    const query = (operation.parameters ?? [])
      .filter((parameter) => parameter.in === "query" && exampleOf(parameter) !== undefined)
      .map((parameter) => [parameter.name, exampleOf(parameter)]);
    operation["x-codeSamples"] = [
      { lang: "Shell", label: "cURL", source: curlSample(url, method, operation, query) },
      { lang: "Python", label: "Python", source: pythonSample(spec, url, operation, query) },
    ];
    count += 1;
  }
}
fs.mkdirSync(path.dirname(outputPath), { recursive: true });
fs.writeFileSync(outputPath, yaml.dump(spec, { lineWidth: -1, noRefs: true }));
console.log(`code samples: ${count} operations -> ${outputPath}`);
