import type { HttpMethod } from "@arker-ai/core/contract";

/**
 * The routes only the fake serves, beside the API's route table (`ROUTES` of
 * `@arker-ai/core/contract`), in the same shape: the test controls under `/_fake/...`
 * and the signed URLs that file sync hands out. One router dispatches both tables.
 *
 * @module
 */

/** One route only the fake serves. */
export interface FakeRouteDefinition {
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** The path, with `{name}` for each path parameter (one URL-encoded segment each). */
  readonly path: string;
  /**
   * Whether the route needs an org's API key: none does. Controls pass the control guard
   * instead (the default key or the control token); a signed URL's token is its credential.
   */
  readonly auth: false;
  /** Whether the route honours an `Idempotency-Key`. */
  readonly idempotent: false;
  /**
   * `control`: a test control — behind the control guard (key or control token, `Origin`,
   * JSON body), exempt from fault rules, kept out of the request log, and a bad input to
   * the JS control it calls is a 400. `blob`: a signed URL — an
   * ordinary request (faults, request log) whose body is raw bytes, not JSON.
   */
  readonly kind: "control" | "blob";
}

const control = { auth: false, idempotent: false, kind: "control" } as const;
const blob = { auth: false, idempotent: false, kind: "blob" } as const;

/** Every route only the fake serves, by name. */
export const FAKE_ROUTES = {
  resetFake: { method: "POST", path: "/_fake/reset", ...control },
  listFakeVms: { method: "GET", path: "/_fake/vms", ...control },
  listFakeFilesystems: { method: "GET", path: "/_fake/filesystems", ...control },
  listFakeRequests: { method: "GET", path: "/_fake/requests", ...control },
  addFault: { method: "POST", path: "/_fake/faults", ...control },
  clearFaults: { method: "DELETE", path: "/_fake/faults", ...control },
  getClock: { method: "GET", path: "/_fake/clock", ...control },
  advanceClock: { method: "POST", path: "/_fake/clock/advance", ...control },
  addOrg: { method: "POST", path: "/_fake/orgs", ...control },
  revokeKey: { method: "POST", path: "/_fake/revoke-key", ...control },
  addCommandStub: { method: "POST", path: "/_fake/commands", ...control },
  clearCommandStubs: { method: "DELETE", path: "/_fake/commands", ...control },
  failHost: { method: "POST", path: "/_fake/fail-host/{vm_id}", ...control },
  getBlob: { method: "GET", path: "/_fake/blobs/{token}", ...blob },
  putBlob: { method: "PUT", path: "/_fake/blobs/{token}", ...blob },
} as const satisfies Record<string, FakeRouteDefinition>;

/** The name of a route of {@link FAKE_ROUTES}. */
export type FakeRouteName = keyof typeof FAKE_ROUTES;

/** Every fake route name, in table order. */
export const FAKE_ROUTE_NAMES: readonly FakeRouteName[] = Object.keys(
  FAKE_ROUTES,
) as FakeRouteName[];
