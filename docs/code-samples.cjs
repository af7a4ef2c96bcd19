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

function snake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function exampleOf(parameter) {
  return parameter.example ?? parameter.schema?.example ?? parameter.schema?.default;
}

function firstBodyExample(operation) {
  for (const [mediaType, content] of Object.entries(operation.requestBody?.content ?? {})) {
    const example = Object.values(content.examples ?? {})[0]?.value ?? content.example;
    if (example !== undefined) return { mediaType, example };
  }
  return undefined;
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
  const api = snake(operation.tags?.[0] ?? "default");
  const module = snake(operation.operationId);
  const args = query.map(([name, value]) => `${snake(name)}=${JSON.stringify(value)}`);
  const tokenUrl = Object.values(spec.components?.securitySchemes ?? {}).find(
    (scheme) => scheme.flows?.password?.tokenUrl,
  )?.flows.password.tokenUrl;
  return [
    "from cloudcx import CloudCX",
    `from cloudcx_openapi.api.${api} import ${module}`,
    "",
    "with CloudCX(",
    `    base_url="${serverUrl(spec.servers[0])}",`,
    `    token_url="${tokenUrl}",`,
    '    client_id="...", client_secret="...", username="...", password="...",',
    '    # or api_key="..." instead of the four above',
    ") as cx:",
    `    result = ${module}.sync(client=cx.client${args.map((arg) => ", " + arg).join("")})`,
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
    const url = serverUrl(server) + template;
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
