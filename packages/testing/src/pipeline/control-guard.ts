import { timingSafeEqual } from "node:crypto";
import type { HostPolicy } from "../http/host-policy.js";
import type { FakeRequest } from "../http/http-types.js";
import { ApiError, badRequest } from "../support/errors.js";

/**
 * The gate of the `/_fake/*` test controls: they can rewrite every run's output, add
 * orgs and read every org's data, so they need the default org's API key or the
 * control token (`Authorization: Bearer …`), refuse an `Origin` the fake does not
 * serve, and take only `application/json` bodies (a web page's "simple" cross-site
 * POST is `text/plain`, form-encoded or multipart).
 *
 * @module
 */

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/** What the guard checks a control request against. */
export interface ControlCredentials {
  /** The default org's API key (as configured; revoking it does not close the controls). */
  apiKey: string;
  /** The control token of this fake. */
  controlToken: string;
  /** The host names the fake serves (for the `Origin` check). */
  hosts: HostPolicy;
}

/** Throws the `ApiError` a control request deserves, or returns when it may proceed. */
export function guardControl(request: FakeRequest, credentials: ControlCredentials): void {
  const match = BEARER.exec(request.headers.authorization ?? "");
  const given = match?.[1];
  if (
    given === undefined ||
    !(sameSecret(given, credentials.apiKey) || sameSecret(given, credentials.controlToken))
  ) {
    throw new ApiError(
      "unauthorized",
      "the /_fake control routes need the default org's API key or the control token (Authorization: Bearer …)",
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !credentials.hosts.allowsOrigin(origin)) {
    throw new ApiError("forbidden", `requests from origin ${JSON.stringify(origin)} are refused`);
  }
  const type = request.headers["content-type"];
  const mediaType = type?.split(";")[0]?.trim().toLowerCase();
  const hasBody = request.body !== null && request.body.byteLength > 0;
  if ((type !== undefined || hasBody) && mediaType !== "application/json") {
    throw badRequest("a /_fake control request's body must be Content-Type: application/json");
  }
}
