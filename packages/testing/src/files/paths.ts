import { pathProblem } from "@arker-ai/core/contract";
import { badRequest } from "../support/errors.js";

/**
 * Path rules of the API and path helpers for the virtual filesystem.
 *
 * @module
 */

/**
 * Checks a file path of the sync and mount routes by the contract's path rule
 * (`pathProblem`: absolute, no `..` segment, no NUL byte, at most 4096 UTF-8 bytes);
 * else 400. Returns the normalised path.
 */
export function validateApiPath(path: unknown, field = "path"): string {
  const problem = pathProblem(path, field);
  if (problem !== undefined) throw badRequest(problem);
  return normalizePath(path as string);
}

/** Resolves `.` and `..`, collapses slashes, strips the trailing slash. */
export function normalizePath(path: string): string {
  return `/${normalSegments(path).join("/")}`;
}

/** The segments of `path` once normalised (`/a/./b/../c/` → `["a", "c"]`; `/` → `[]`). */
export function normalSegments(path: string): string[] {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return out;
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
