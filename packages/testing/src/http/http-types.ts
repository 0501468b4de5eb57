/**
 * The door-neutral request and response shapes the engine speaks: both the in-process
 * dispatcher and the HTTP server translate to and from these.
 *
 * @module
 */

/** A request as the engine sees it. */
export interface EngineRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path and query, e.g. `/v1/vms?limit=2`. */
  target: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The whole body, or `null` for none. */
  body: Uint8Array | null;
  /** The origin the request was addressed to (used for presigned URLs). */
  origin: string;
}

/** A response as the engine builds it. */
export interface EngineResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What a door must do with a request: answer it, or drop the connection. */
export type EngineOutcome = { type: "response"; response: EngineResponse } | { type: "reset" };

const encoder = new TextEncoder();

/** Builds a JSON response. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): EngineResponse {
  const all: Record<string, string> = { "content-type": "application/json" };
  for (const name in headers) all[name] = headers[name]!;
  return { status, headers: all, body: encoder.encode(JSON.stringify(value)) };
}
