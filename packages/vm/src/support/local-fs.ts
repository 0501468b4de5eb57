/**
 * `node:fs/promises`, loaded by the first upload or download rather than at import: it
 * brings `node:stream` with it, which a cold start of the SDK does not pay for
 * (BENCHMARKS.md, row 5; pinned by the umbrella's lazy-transport test).
 */
export async function localFs(): Promise<typeof import("node:fs/promises")> {
  fsModule ??= await import("node:fs/promises");
  return fsModule;
}

let fsModule: typeof import("node:fs/promises") | undefined;
