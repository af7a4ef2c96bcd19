// Runs the typescript-fetch client that OpenAPI Generator builds from spec/cloudcx.yaml
// against a live CloudCX simulator: obtain a token with the password grant, list every user
// page by page, search by keyword, and see a bad token refused. `interop/run.py` generates the
// client into `./fetch-client`, compiles this file with `tsc --strict` and runs it with Node
// (20+, for the global fetch), passing the simulator's URLs and credentials in the environment.
// It prints one JSON line of findings; any mismatch throws and exits non-zero.

import assert from "node:assert/strict";

import {
  AuthApi,
  Configuration,
  GrantType,
  ResponseError,
  type User,
  UsersApi,
} from "./fetch-client";

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const baseUrl = setting("CLOUDCX_BASE_URL");
const tokenUrl = setting("CLOUDCX_TOKEN_URL");
const TOKEN_PATH = "/oauth/token";
assert.ok(tokenUrl.endsWith(TOKEN_PATH), `token URL ${tokenUrl} does not end in ${TOKEN_PATH}`);

// The spec's `servers` entry is `https://{host}`: a generated client must be pointed at the
// real host explicitly, and the token endpoint may live on another origin (the Control Panel).
function usersApi(credential: string): UsersApi {
  return new UsersApi(
    new Configuration({
      basePath: baseUrl,
      // typescript-fetch sends the http-bearer (apiKey) value as `Bearer <value>` but the oauth2
      // one verbatim, and sets oauth2 last whatever the spec's order: a limitation of that
      // generator's templates that no form of the spec avoids (OpenAPITools/openapi-generator
      // issue 12514, open).
      accessToken: (name?: string) => (name === "oauth2" ? `Bearer ${credential}` : credential),
    }),
  );
}

async function listAll(api: UsersApi, pageSize: number, keywords?: string): Promise<User[]> {
  const users: User[] = [];
  for (let pageIndex = 1; ; pageIndex++) {
    const envelope = await api.listUsers({ pageIndex, pageSize, keywords });
    assert.equal(envelope.code, "0000", `page ${pageIndex}: ${envelope.message ?? ""}`);
    const page = envelope.data;
    assert.ok(page !== null, `page ${pageIndex} has no data`);
    assert.equal(page.number, pageIndex - 1, "data.number counts from 0");
    assert.equal(page.numberOfElements, page.content.length);
    users.push(...page.content);
    if (pageIndex >= page.totalPages) {
      assert.equal(users.length, page.totalElements, "pages add up to totalElements");
      return users;
    }
  }
}

async function main(): Promise<void> {
  const auth = new AuthApi(new Configuration({ basePath: tokenUrl.slice(0, -TOKEN_PATH.length) }));
  const token = await auth.requestToken({
    grantType: GrantType.Password,
    clientId: setting("CLOUDCX_CLIENT_ID"),
    clientSecret: setting("CLOUDCX_CLIENT_SECRET"),
    username: setting("CLOUDCX_USERNAME"),
    password: setting("CLOUDCX_PASSWORD"),
  });
  assert.equal(token.tokenType.toLowerCase(), "bearer");
  assert.ok(token.accessToken.length > 0);

  const withToken = usersApi(token.accessToken);
  const users = await listAll(withToken, 25);
  const ids = new Set(users.map((user) => user.id));
  assert.equal(ids.size, users.length, "no user appears twice across pages");

  const withKey = usersApi(setting("CLOUDCX_API_KEY"));
  const sameByKey = await listAll(withKey, 100);
  assert.deepEqual(
    sameByKey.map((user) => user.id),
    users.map((user) => user.id),
    "the API key sees the same directory",
  );

  const probe = users[0];
  assert.ok(probe !== undefined, "the directory is empty");
  const found = await listAll(withToken, 10, probe.loginCode);
  assert.ok(
    found.some((user) => user.id === probe.id),
    `searching ${probe.loginCode} finds that user`,
  );

  let refusedStatus = 0;
  try {
    await usersApi("not-a-token").listUsers({ pageIndex: 1 });
  } catch (error) {
    assert.ok(error instanceof ResponseError, `unexpected error ${String(error)}`);
    refusedStatus = error.response.status;
  }
  assert.equal(refusedStatus, 401, "a bad token is refused with 401");

  const withPhone = users.filter((user) => user.phoneNumber !== null).length;
  console.log(
    JSON.stringify({
      tokenType: token.tokenType,
      expiresIn: token.expiresIn ?? null,
      users: users.length,
      usersWithPhone: withPhone,
      searchHits: found.length,
      refusedStatus,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
