import { abortedError, badRequest } from "@arker-ai/core/internal";
import { encodeUtf8 } from "./byte-encoding";

/**
 * What a file write accepts: a string (written as UTF-8), bytes (a `Uint8Array`, `Buffer`,
 * any other typed array or `DataView`, or an `ArrayBuffer`), a `Blob`, a web
 * `ReadableStream`, or any async iterable of byte chunks (such as a Node `Readable`).
 * Streams are collected into one buffer first, because the upload needs its size and
 * its SHA-256 up front.
 */
export type FileData =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/**
 * Turns file data into one `Uint8Array`, holding the payload once: bytes are used as
 * they are, a Blob is read into one buffer of its known size, and stream chunks are
 * copied once into a buffer of the summed size (a single chunk is used as it is).
 */
export async function toBytes(data: FileData, signal?: AbortSignal): Promise<Uint8Array> {
  if (typeof data === "string") return encodeUtf8(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    return new Uint8Array(await data.arrayBuffer());
  }
  if (isReadableStream(data)) return collect(readerChunks(data, signal), signal);
  if (isAsyncIterable(data)) return collect(data, signal);
  throw badRequest(
    "file data must be a string, bytes, a Blob, a ReadableStream or an AsyncIterable<Uint8Array>",
  );
}

const EMPTY = new Uint8Array();

async function collect(
  chunks: AsyncIterable<unknown>,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (signal?.aborted) throw abortedError(signal.reason);
  const parts: Uint8Array[] = [];
  let total = 0;
  const iterator = chunks[Symbol.asyncIterator]();
  // A stalled source must not outlive the caller's signal: each wait for a chunk races
  // the abort (checking between chunks alone hung forever on a source that went quiet).
  let stop: ((reason: unknown) => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    stop = (reason) => reject(abortedError(reason));
  });
  aborted.catch(() => {});
  const onAbort = () => stop?.(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const next = iterator.next();
      const result = signal ? await Promise.race([next, aborted]) : await next;
      if (result.done) break;
      const chunk: unknown = result.value;
      if (!(chunk instanceof Uint8Array)) {
        throw badRequest("stream chunks must be Uint8Array (or Buffer)");
      }
      parts.push(chunk);
      total += chunk.byteLength;
    }
  } catch (error) {
    // Tell the source to stop; not awaited, since a generator suspended in a pending
    // read would only run its cleanup after that read settles.
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (signal?.aborted) throw abortedError(signal.reason);
  if (parts.length === 1) return parts[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    bytes.set(part, offset);
    offset += part.byteLength;
    // Dropping each copied chunk lets it be collected while the rest are copied.
    parts[index] = EMPTY;
  }
  return bytes;
}

async function* readerChunks(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  // On abort, cancelling the stream settles a pending read and lets the source clean up.
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === "function"
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}
