import type { Readable } from "node:stream";

/**
 * Reads a request body of any shape undici hands a dispatcher into one `Uint8Array`.
 *
 * @module
 */

/** The body shapes a dispatcher may receive. */
export type DispatchBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Readable
  | Iterable<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | null
  | undefined;

// A string is encoded with `Buffer.from`, not a `TextEncoder`: a small body then lands in
// Node's buffer pool instead of a fresh ArrayBuffer (0.2 µs against 1.3 µs for a run
// request's 40 bytes, on every JSON request of the in-process door).
function chunkBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk))
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`unsupported body chunk: ${typeof chunk}`);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  // One chunk may be the caller's own buffer: copy it; several are joined into a new one.
  if (chunks.length === 1) return chunks[0]!.slice();
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Whether a body is given whole (none, a string or bytes) rather than as chunks. */
export function isWholeBody(
  body: unknown,
): body is string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined {
  return (
    body === null ||
    body === undefined ||
    typeof body === "string" ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}

/**
 * Reads a whole body (see {@link isWholeBody}) of at most `limit` bytes at once; bytes
 * are copied (the caller may reuse its buffer).
 */
export function collectWholeBody(
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined,
  limit = Number.POSITIVE_INFINITY,
): Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return within(Buffer.from(body), limit);
  return within(chunkBytes(body), limit).slice();
}

/** Thrown by {@link collectBody} when a body passes its limit (reading stops there). */
export class BodyTooLargeError extends Error {}

/**
 * Collects a body of at most `limit` bytes. A whole buffer is copied once (the caller
 * may reuse it); streamed chunks are joined once, so at most one copy of the payload
 * is made, and a stream stops being read once it passes the limit.
 */
export async function collectBody(
  body: unknown,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array | null> {
  if (isWholeBody(body)) return collectWholeBody(body, limit);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const add = (chunk: unknown): void => {
    const bytes = chunkBytes(chunk);
    total += bytes.byteLength;
    if (total > limit) throw new BodyTooLargeError();
    chunks.push(bytes);
  };
  if (typeof body === "object" && Symbol.asyncIterator in body) {
    for await (const chunk of body as AsyncIterable<unknown>) add(chunk);
    return concat(chunks, total);
  }
  if (typeof body === "object" && Symbol.iterator in body) {
    for (const chunk of body as Iterable<unknown>) add(chunk);
    return concat(chunks, total);
  }
  throw new TypeError("unsupported request body type");
}

function within(bytes: Uint8Array, limit: number): Uint8Array {
  if (bytes.byteLength > limit) throw new BodyTooLargeError();
  return bytes;
}
