import { LOG_LEVELS, type LogLevel } from "./enums";
import { MAX_PATH_BYTES, PAGE_LIMIT, PORT_RANGE } from "./limits";

/**
 * The shared input rules of the wire contract. Each check returns a problem (a sentence
 * naming the field) or `undefined`, so the SDK, the fake and the CLI each raise it in
 * their own way (`bad_request`, a 400, a usage error) from one definition.
 *
 * @module
 */

/** An `Idempotency-Key`: 1–64 printable ASCII characters, no spaces. */
export const IDEMPOTENCY_KEY_PATTERN: RegExp = /^[\x21-\x7e]{1,64}$/;

/** An environment variable name a run or session accepts: a shell identifier. */
export const ENV_NAME_PATTERN: RegExp = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with an idempotency key, if anything. */
export function idempotencyKeyProblem(key: unknown): string | undefined {
  if (typeof key === "string" && IDEMPOTENCY_KEY_PATTERN.test(key)) return undefined;
  return "idempotencyKey must be 1-64 printable ASCII characters without spaces";
}

/**
 * What is wrong with an environment map, if anything: it must be a plain object whose
 * names are shell identifiers and whose values are strings.
 */
export function envProblem(env: unknown, what = "env"): string | undefined {
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    return `${what} must be an object of string values`;
  }
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME_PATTERN.test(name)) {
      return `${what} has an invalid variable name: ${JSON.stringify(name)} (use letters, digits and _, not starting with a digit)`;
    }
    if (typeof value !== "string") return `${what}.${name} must be a string; got ${typeof value}`;
  }
  return undefined;
}

/**
 * What is wrong with a path inside a VM, if anything: a non-empty string, absolute, no
 * `..` segment, no NUL byte, at most {@link MAX_PATH_BYTES} UTF-8 bytes. A run's `cwd`
 * and a mount path follow the same rule.
 */
export function pathProblem(path: unknown, what = "path"): string | undefined {
  if (typeof path !== "string" || path.length === 0) return `${what} must be a non-empty string`;
  if (!path.startsWith("/")) return `${what} must be absolute: ${path}`;
  if (path.includes("\0")) return `${what} must not contain a NUL byte`;
  if (path.split("/").includes("..")) return `${what} must not contain a ".." segment: ${path}`;
  const bytes = new TextEncoder().encode(path).byteLength;
  if (bytes > MAX_PATH_BYTES) {
    return `${what} is ${bytes} bytes; at most ${MAX_PATH_BYTES} are allowed`;
  }
  return undefined;
}

/** What is wrong with a page size, if anything: an integer from 1 to 1000. */
export function limitProblem(limit: unknown): string | undefined {
  if (
    typeof limit === "number" &&
    Number.isInteger(limit) &&
    limit >= PAGE_LIMIT.min &&
    limit <= PAGE_LIMIT.max
  ) {
    return undefined;
  }
  return `limit must be an integer from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}; got ${String(limit)}`;
}

/** What is wrong with a tunnel port, if anything: an integer from 1 to 65535. */
export function portProblem(port: unknown, what = "port"): string | undefined {
  if (
    typeof port === "number" &&
    Number.isInteger(port) &&
    port >= PORT_RANGE.min &&
    port <= PORT_RANGE.max
  ) {
    return undefined;
  }
  return `${what} must be an integer from ${PORT_RANGE.min} to ${PORT_RANGE.max}; got ${String(port)}`;
}

/**
 * Reads a log level name (e.g. `ARKER_LOG`), trimmed and case-insensitive; `undefined`
 * for an empty or unknown name, so the caller keeps its own default (the SDK: `off`, the
 * CLI: `warn`).
 */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const level = value?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).find((known) => known === level) as LogLevel | undefined;
}
