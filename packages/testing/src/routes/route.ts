import type { FileSync } from "../engine/file-sync.js";
import type { FakeState } from "../engine/state.js";
import type { JsonObject } from "./fields.js";

/**
 * The shape of an API route and what its handler receives.
 *
 * @module
 */

/** What a route handler gets. */
export interface RouteContext {
  state: FakeState;
  fileSync: FileSync;
  /** The caller's org (routes without auth get `""`). */
  orgId: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (`{}` when empty). */
  body: JsonObject;
  /** Origin of the request, for presigned URLs. */
  origin: string;
}

/** A handler's answer. */
export interface RouteResult {
  status: number;
  body: unknown;
}

/** One API route. */
export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** e.g. `/v1/vms/:vm/runs`. */
  pattern: string;
  /** Whether an `Idempotency-Key` is honoured. */
  idempotent: boolean;
  /** Whether an API key is required. */
  auth: boolean;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

/** A 200 answer. */
export function ok(body: unknown): RouteResult {
  return { status: 200, body };
}
