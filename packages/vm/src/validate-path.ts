import { badRequest, MAX_PATH_BYTES } from "@arker-ai/core";

/**
 * Checks a file or mount path the way the service does (docs/arker-api.md §4): a string,
 * absolute, without a `..` segment or a NUL byte, at most {@link MAX_PATH_BYTES} UTF-8
 * bytes. Throws `bad_request` before anything is sent.
 */
export function validatePath(path: unknown, what = "path"): string {
  if (typeof path !== "string" || path.length === 0) {
    throw badRequest(`${what} must be a non-empty string`);
  }
  if (!path.startsWith("/")) throw badRequest(`${what} must be absolute: ${path}`);
  if (path.includes("\0")) throw badRequest(`${what} must not contain a NUL byte`);
  if (path.split("/").includes("..")) {
    throw badRequest(`${what} must not contain a ".." segment: ${path}`);
  }
  const bytes = Buffer.byteLength(path, "utf8");
  if (bytes > MAX_PATH_BYTES) {
    throw badRequest(`${what} is ${bytes} bytes; at most ${MAX_PATH_BYTES} are allowed`);
  }
  return path;
}
