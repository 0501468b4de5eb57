import type { Rng } from "./random";

/** The shapes a file write accepts, besides a plain `Uint8Array`. */
export type DataForm = "bytes" | "blob" | "stream" | "iterable" | "arrayBuffer";

const CHUNK = 64 * 1024;

/** The same bytes in another accepted shape (streams yield 64 KiB chunks). */
export function inForm(
  bytes: Uint8Array,
  form: DataForm,
): Uint8Array | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | ArrayBuffer {
  switch (form) {
    case "bytes":
      return bytes;
    case "blob":
      return new Blob([bytes.slice().buffer]);
    case "arrayBuffer":
      return bytes.slice().buffer;
    case "stream":
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.byteLength; offset += CHUNK)
            controller.enqueue(bytes.subarray(offset, offset + CHUNK));
          controller.close();
        },
      });
    case "iterable":
      return (async function* () {
        for (let offset = 0; offset < bytes.byteLength; offset += CHUNK)
          yield bytes.subarray(offset, offset + CHUNK);
      })();
  }
}

/** A form, mostly plain bytes. */
export function pickForm(rng: Rng): DataForm {
  return rng.weighted({ bytes: 5, blob: 1, stream: 1, iterable: 1, arrayBuffer: 1 });
}
