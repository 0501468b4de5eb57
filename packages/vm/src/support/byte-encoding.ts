/**
 * Decodes base64 into a Uint8Array that owns its memory. `Buffer.from(text, "base64")`
 * may return a view of Node's shared pool, which callers would then keep alive and see
 * through `.buffer`.
 */
export function decodeBase64(text: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.byteLength(text, "base64"));
  const written = Buffer.from(bytes.buffer).write(text, "base64");
  return written === bytes.byteLength ? bytes : bytes.subarray(0, written);
}

/** Encodes bytes as base64 without copying them first. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

const utf8 = new TextEncoder();

/** Encodes text as UTF-8 (one shared encoder: this runs on every run answer). */
export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}
