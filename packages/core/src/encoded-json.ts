/**
 * A JSON request body its caller has already encoded as UTF-8 bytes. The pipeline sends
 * the bytes as they are, with `content-type: application/json`, instead of running
 * `JSON.stringify` on a body. A file write needs it: its body carries up to 4 MiB of
 * base64 in one string, which `JSON.stringify` scans and copies and undici then encodes
 * again, 10–50 ms of CPU on a loaded machine before the first byte leaves
 * (BENCHMARKS.md, row 7).
 *
 * The brand is a registered symbol, not a class: core's entry points are built without
 * shared chunks, so a class would exist once per entry point and `instanceof` would fail
 * between them.
 *
 * @module
 */

const ENCODED_JSON: unique symbol = Symbol.for("@arker-ai/core.encoded-json");

/** A JSON body of type `Body`, already encoded; make one with {@link encodedJson}. */
export interface EncodedJson<Body = unknown> {
  readonly [ENCODED_JSON]: Uint8Array;
  /** Type only: the body these bytes encode, so a route still checks what it is given. */
  readonly encodes?: Body;
}

/** Wraps `bytes`, the UTF-8 of a JSON text for a `Body`, as a body the pipeline sends as is. */
export function encodedJson<Body>(bytes: Uint8Array): EncodedJson<Body> {
  return { [ENCODED_JSON]: bytes };
}

/** The bytes of an {@link EncodedJson} body, or `undefined` for any other body. */
export function encodedJsonBytes(body: unknown): Uint8Array | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  return (body as Partial<EncodedJson>)[ENCODED_JSON];
}
