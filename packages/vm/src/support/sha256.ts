/**
 * The SHA-256 of `bytes` as lowercase hex, hashed in place (no copy). `node:crypto` is
 * loaded on the first write, not at import: it is a measurable part of a cold start
 * (BENCHMARKS.md, row 5) and most processes that import the SDK never write a file.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  nodeCrypto ??= await import("node:crypto");
  // One-shot: no Hash object per call, a measurable part of a 1,000-file `writeFiles`.
  return nodeCrypto.hash("sha256", bytes, "hex");
}

let nodeCrypto: typeof import("node:crypto") | undefined;
