import { MAX_PATH_BYTES } from "@arker-ai/core/wire";
import { badRequest } from "../support/errors.js";

/**
 * Path rules of the API and path helpers for the virtual filesystem.
 *
 * @module
 */

/**
 * Checks a file path of the sync and mount routes: absolute, no `..` segment, no NUL
 * byte, at most 4096 UTF-8 bytes; else 400. Returns the normalised path.
 */
export function validateApiPath(path: unknown, field = "path"): string {
  if (typeof path !== "string") throw badRequest(`${field} must be a string`);
  if (!path.startsWith("/")) throw badRequest(`${field} must be absolute: ${JSON.stringify(path)}`);
  if (path.includes("\u0000")) throw badRequest(`${field} must not contain a NUL byte`);
  if (Buffer.byteLength(path, "utf8") > MAX_PATH_BYTES) {
    throw badRequest(`${field} must be at most ${MAX_PATH_BYTES} bytes`);
  }
  if (path.split("/").includes("..")) throw badRequest(`${field} must not contain a '..' segment`);
  return normalizePath(path);
}

/** Resolves `.` and `..`, collapses slashes, strips the trailing slash. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}

/** Resolves `path` against `base` (absolute paths win). */
export function resolvePath(base: string, path: string): string {
  return normalizePath(path.startsWith("/") ? path : `${base}/${path}`);
}

/** The parent directory of a normalised path. */
export function parentOf(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

/** The last segment of a normalised path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Whether `candidate` is `parent` or below it. */
export function isSameOrBelow(parent: string, candidate: string): boolean {
  return parent === "/" || candidate === parent || candidate.startsWith(`${parent}/`);
}
