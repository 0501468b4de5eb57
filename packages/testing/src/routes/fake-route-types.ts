import type { Filesystem } from "@arker-ai/core/wire";
import type { FakeVmSnapshot } from "../engine/snapshots.js";
import type { FakeRouteName } from "../http/fake-routes.js";
import type { RequestLogEntry } from "../http/request-log.js";
import type { ClockMode } from "../support/clock.js";

/**
 * The JSON bodies and answers of the fake-only routes, as `RouteTypes` of the contract
 * gives them for the API's routes.
 *
 * @module
 */

/** Body of `POST /_fake/faults`: a fault rule (a RegExp path is JS-only). */
export interface AddFaultRequest {
  method?: string | null;
  path?: string | null;
  times?: number | null;
  probability?: number | null;
  effect: unknown;
}

/** Body of `POST /_fake/commands`: a canned answer for matching commands. */
export interface AddCommandStubRequest {
  match: string | { regex: string };
  exitCode?: number | null;
  durationMs?: number | null;
  stdout?: string | null;
  stderr?: string | null;
}

interface Shape<Body, Response> {
  body: Body;
  response: Response;
}

/** The body and answer of every fake-only route, by name. */
export interface FakeRouteTypes {
  resetFake: Shape<never, { reset: true }>;
  listFakeVms: Shape<never, { vms: readonly FakeVmSnapshot[] }>;
  listFakeFilesystems: Shape<never, { filesystems: readonly Filesystem[] }>;
  listFakeRequests: Shape<never, { requests: readonly RequestLogEntry[] }>;
  addFault: Shape<AddFaultRequest, { id: string }>;
  clearFaults: Shape<never, { cleared: true }>;
  getClock: Shape<never, { now: string; mode: ClockMode }>;
  advanceClock: Shape<{ ms: number }, { now: string; mode: ClockMode }>;
  addOrg: Shape<{ name?: string | null }, { org_id: string; api_key: string }>;
  revokeKey: Shape<{ api_key: string }, { revoked: boolean }>;
  addCommandStub: Shape<AddCommandStubRequest, { registered: true }>;
  clearCommandStubs: Shape<never, { cleared: true }>;
  failHost: Shape<never, { failed: true }>;
  /** The signed object's bytes, sent as `application/octet-stream`. */
  getBlob: Shape<never, Uint8Array>;
  putBlob: Shape<never, { ok: true }>;
}

/** The JSON body type of a fake-only route. */
export type FakeRouteBody<Name extends FakeRouteName> = FakeRouteTypes[Name]["body"];
/** The answer type of a fake-only route. */
export type FakeRouteResponse<Name extends FakeRouteName> = FakeRouteTypes[Name]["response"];

// Every fake route has its shapes, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyFakeRouteTyped: Exact<keyof FakeRouteTypes, FakeRouteName> = true;
void everyFakeRouteTyped;
