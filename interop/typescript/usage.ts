// Type-level proof that spec/cloudcx.yaml yields useful, strict TypeScript types.
//
// `interop/run.py` generates `./cloudcx-api.d.ts` from the spec with openapi-typescript, then
// checks this file with `tsc --strict --noEmit`. Each `@ts-expect-error` line asserts that the
// generated types REJECT a mistake: if the spec loosened (a required field turned optional, a
// nullable field lost its `null`, an enum became a plain string), the directive would be unused
// and tsc would fail.

import type { components, operations, paths } from "./cloudcx-api";

type Schemas = components["schemas"];
type TokenRequest = Schemas["TokenRequest"];
type TokenResponse = Schemas["TokenResponse"];
type User = Schemas["User"];
type UserPageEnvelope = Schemas["UserPageEnvelope"];
type ListUsersQuery = NonNullable<operations["listUsers"]["parameters"]["query"]>;
type ListUsersOk = operations["listUsers"]["responses"][200]["content"]["application/json"];
type TokenOk = paths["/oauth/token"]["post"]["responses"][200]["content"]["application/json"];
type TokenRefused = operations["requestToken"]["responses"][400]["content"]["application/json"];

// The token form, as the vendor's cURL example sends it.
export const passwordGrant: TokenRequest = {
  grant_type: "password",
  client_id: "2603****************814845",
  client_secret: "6d624c35-978b-*********-59d727f2ea19",
  username: "si*****",
  password: "A******",
};

// A public client leaves `client_secret` out; the refresh grant needs no username.
export const refreshGrant: TokenRequest = {
  grant_type: "refresh_token",
  client_id: "2603****************814845",
  refresh_token: "d2f9c1e0-5b7a-4f3e-9c1d-2a6b8e4f0c17",
};

// @ts-expect-error: `grant_type` is an enum, not any string.
export const badGrant: TokenRequest = { grant_type: "client_credentials", client_id: "x" };

// @ts-expect-error: `client_id` is required.
export const noClient: TokenRequest = { grant_type: "password" };

/** Seconds until the token expires, if the server said so (`expires_in` is optional). */
export function expiresIn(token: TokenOk): number | undefined {
  // @ts-expect-error: `expires_in` may be absent, so it is not a plain number.
  const seconds: number = token.expires_in;
  void seconds;
  return token.expires_in;
}

/** The `Authorization` header value for a token response. */
export function bearer(token: TokenResponse): string {
  return `${token.token_type} ${token.access_token}`;
}

/** The refusal's RFC 6749 error code. */
export function refusal(error: TokenRefused): string {
  return error.error_description ?? error.error;
}

export const firstPage: ListUsersQuery = { pageIndex: 1, pageSize: 25, keywords: "si" };

// @ts-expect-error: `pageSize` is an integer, not a string.
export const textPageSize: ListUsersQuery = { pageSize: "25" };

/** The users of a page, or an error: a success envelope (`code` "0000") always carries the page. */
export function usersOf(envelope: UserPageEnvelope | ListUsersOk): User[] {
  if (envelope.code !== "0000") {
    throw new Error(`CloudCX error ${envelope.code}: ${envelope.message ?? "no message"}`);
  }
  const page: Schemas["UserPage"] = envelope.data;
  return page.content;
}

/** A display name; `phoneNumber` and `uniqueCode` are `string | null`, never undefined. */
export function describe(user: User): string {
  // @ts-expect-error: `phoneNumber` may be null.
  const phone: string = user.phoneNumber;
  void phone;
  const contact = user.phoneNumber ?? user.email;
  return `${user.firstName} ${user.lastName} <${contact}> [${user.roles.join(", ")}]`;
}

// The 4xx answers of the user page carry the error envelope, whose `data` is only ever null.
export const unauthorized: operations["listUsers"]["responses"][401]["content"]["application/json"] = {
  code: "4010",
  message: "invalid or expired token",
  data: null,
};
