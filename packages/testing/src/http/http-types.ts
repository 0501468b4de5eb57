import type { Terminal } from "../terminal/terminal.js";

/**
 * The door-neutral request and response shapes of the request pipeline: both the
 * in-process dispatcher and the HTTP server translate to and from these.
 *
 * @module
 */

/** A request as the pipeline sees it. */
export interface FakeRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path and query, e.g. `/v1/vms?limit=2`. */
  target: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The whole body, or `null` for none. */
  body: Uint8Array | null;
  /** The fake's own origin the request came to (presigned URLs are built on it). */
  origin: string;
  /** Set when the door stopped reading a body past this many bytes (answered 413 after auth). */
  bodyTooLarge?: number;
  /** Set when the request asks for a protocol upgrade (`websocket`). */
  upgrade?: string;
}

/** A response as the pipeline builds it. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** A WebSocket route accepted the request (status 101): the terminal to attach the upgraded connection to. */
  upgrade?: () => Terminal;
}

/** What a door must do with a request: answer it, or drop the connection. */
export type FakeOutcome = { type: "response"; response: FakeResponse } | { type: "reset" };

/** What a door hands its requests to (the request pipeline). */
export interface FakeRequestHandler {
  /**
   * Handles one request: the outcome itself when it is known at once (no handler or
   * fault waited), else a promise of it.
   */
  handle(request: FakeRequest): FakeOutcome | Promise<FakeOutcome>;
  /** Whether the body of a request with this head is worth reading (auth before the body). */
  wantsBody(head: Pick<FakeRequest, "method" | "target" | "headers">): boolean;
}

/** Builds a bytes response (`application/octet-stream`). */
export function bytesResponse(status: number, body: Uint8Array): FakeResponse {
  return {
    status,
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(body.byteLength),
    },
    body,
  };
}

/**
 * Builds a JSON response. A small body lands in Node's shared buffer pool rather than
 * in an `ArrayBuffer` of its own: the fake keeps many answers (idempotent replays), and
 * one native buffer each weighs on garbage collection.
 */
export function jsonResponse(
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): FakeResponse {
  const all: Record<string, string> = { "content-type": "application/json" };
  if (headers !== undefined) for (const name in headers) all[name] = headers[name]!;
  return { status, headers: all, body: Buffer.from(JSON.stringify(value)) };
}
