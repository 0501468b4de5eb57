import { envProblem, limitProblem, pathProblem } from "./contract/rules";
import { badRequest } from "./errors";

/** Checks that an id (or other required name) is a non-empty string. */
export function requireId(value: unknown, what: string): string {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw badRequest(`${what} must be a non-empty string`);
  }
  return value;
}

/** Checks an optional string option. */
export function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${what} must be a string`);
  return value;
}

/** Checks an optional boolean option. */
export function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${what} must be a boolean`);
  return value;
}

/** Checks a page size with the contract's rule: an integer from 1 to 1000 (docs/arker-api.md, pagination). */
export function validateLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null) return undefined;
  const problem = limitProblem(limit);
  if (problem !== undefined) throw badRequest(problem);
  return limit as number;
}

/**
 * Checks an environment map with the contract's rule: a plain object whose names are
 * shell identifiers (`[A-Za-z_][A-Za-z0-9_]*`) and whose values are strings.
 */
export function validateEnv(env: unknown): Record<string, string> | undefined {
  if (env === undefined || env === null) return undefined;
  const problem = envProblem(env);
  if (problem !== undefined) throw badRequest(problem);
  return env as Record<string, string>;
}

/**
 * Checks a path inside a VM (a file, a mount point, a run's `cwd`) with the contract's
 * rule: absolute, no `..` segment, no NUL byte, at most 4096 UTF-8 bytes. `what` names
 * the argument in the error.
 */
export function validatePath(path: unknown, what = "path"): string {
  const problem = pathProblem(path, what);
  if (problem !== undefined) throw badRequest(problem);
  return path as string;
}

/** Checks one of a fixed set of values. */
export function optionalOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${what} must be one of ${allowed.join(", ")}; got ${String(value)}`);
  }
  return value as T;
}

/** Turns a timestamp option into an RFC 3339 string. */
export function optionalTimestamp(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badRequest(`${what} is an invalid Date`);
    return value.toISOString();
  }
  if (typeof value === "string" && value.length > 0) return value;
  throw badRequest(`${what} must be a Date or an RFC 3339 string`);
}

/**
 * Checks an optional number within `[min, max]` (finite, not NaN); `unit` names it in
 * the message, e.g. "seconds".
 */
export function optionalNumberInRange(
  value: unknown,
  min: number,
  max: number,
  what: string,
  unit: string,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(
      `${what} must be a number of ${unit} from ${min} to ${max}; got ${String(value)}`,
    );
  }
  return value;
}
