/**
 * A `Buffer` over bytes without copying them.
 *
 * @module
 */

/**
 * The same bytes as a `Buffer`: `bytes` itself when it is one already (a new view costs
 * about half a microsecond, paid on every request and answer of the in-process door),
 * else a view over its memory.
 */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
