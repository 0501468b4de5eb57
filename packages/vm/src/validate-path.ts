import { validatePath as contractPath } from "@arker-ai/core/internal";

/**
 * Checks a file or mount path with the contract's rule (docs/arker-api.md §4, the
 * same `pathProblem` the fake and the CLI apply): a string, absolute, without a `..`
 * segment or a NUL byte, at most 4096 UTF-8 bytes. Throws `bad_request` before anything
 * is sent; returns the path.
 */
export function validatePath(path: unknown, what = "path"): string {
  return contractPath(path, what);
}
