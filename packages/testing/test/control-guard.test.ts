import { describe, expect, it } from "vitest";
import { HostPolicy } from "../src/http/host-policy.js";
import type { FakeRequest } from "../src/http/http-types.js";
import { guardControl } from "../src/pipeline/control-guard.js";
import { ApiError } from "../src/support/errors.js";

// The gate of the /_fake controls on its own: which bearer values pass, which origins and
// content types it refuses, and the exact error of each refusal.

const credentials = {
  apiKey: "ak_default",
  controlToken: "ct_token",
  hosts: new HostPolicy(undefined, ["fake.test"]),
};

function request(headers: Record<string, string>, body: string | null = null): FakeRequest {
  return {
    method: "POST",
    target: "/_fake/orgs",
    headers,
    body: body === null ? null : new TextEncoder().encode(body),
    origin: "",
  };
}

/** The error the guard throws, or undefined when it lets the request through. */
function refusal(headers: Record<string, string>, body: string | null = null) {
  try {
    guardControl(request(headers, body), credentials);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}

const unauthorized = {
  status: 401,
  code: "unauthorized",
  message:
    "the /_fake control routes need the default org's API key or the control token (Authorization: Bearer …)",
};

describe("guardControl", () => {
  it("passes the key or the token, with any case of Bearer and spaces around", () => {
    for (const authorization of [
      "Bearer ak_default",
      "Bearer ct_token",
      "bearer ct_token",
      "BEARER   ak_default  ",
    ])
      expect(refusal({ authorization }), authorization).toBeUndefined();
  });

  it("refuses no key, another key, a prefix or extension of one, and other schemes", () => {
    for (const authorization of [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      "Bearer ak_other",
      "Bearer ak_defaul",
      "Bearer ak_default1",
      "Bearer ct_toke",
      "Basic ak_default",
      "xBearer ak_default",
      "Bearer ak_default extra",
      "Bearerak_default",
    ]) {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      expect(refusal(headers), String(authorization)).toEqual(unauthorized);
    }
  });

  it("refuses an Origin it does not serve, naming it, and passes one it serves", () => {
    const authorization = "Bearer ak_default";
    expect(refusal({ authorization, origin: "http://fake.test:9" })).toBeUndefined();
    expect(refusal({ authorization, origin: "http://localhost" })).toBeUndefined();
    expect(refusal({ authorization, origin: "https://evil.example" })).toEqual({
      status: 403,
      code: "forbidden",
      message: 'requests from origin "https://evil.example" are refused',
    });
    expect(refusal({ authorization, origin: "null" })?.status).toBe(403);
  });

  it("takes a JSON body (any case, with parameters) and refuses other types or an untyped body", () => {
    const authorization = "Bearer ak_default";
    const refused = {
      status: 400,
      code: "bad_request",
      message: "a /_fake control request's body must be Content-Type: application/json",
    };
    expect(refusal({ authorization })).toBeUndefined();
    expect(refusal({ authorization }, "")).toBeUndefined();
    for (const type of ["application/json", " Application/JSON ; charset=utf-8"])
      expect(refusal({ authorization, "content-type": type }, "{}"), type).toBeUndefined();
    expect(refusal({ authorization }, "{}")).toEqual(refused);
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "",
      "application/jsonx",
    ]) {
      expect(refusal({ authorization, "content-type": type }), type).toEqual(refused);
      expect(refusal({ authorization, "content-type": type }, "{}"), type).toEqual(refused);
    }
  });
});
