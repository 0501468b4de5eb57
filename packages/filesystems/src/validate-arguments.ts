import { badRequest, PAGE_LIMIT } from "@arker-ai/core";

/** Checks that an id or name is a non-empty string. */
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

/** Checks a page size: an integer from 1 to 1000. */
export function validateLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null) return undefined;
  if (
    typeof limit !== "number" ||
    !Number.isInteger(limit) ||
    limit < PAGE_LIMIT.min ||
    limit > PAGE_LIMIT.max
  ) {
    throw badRequest(
      `limit must be an integer from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}; got ${String(limit)}`,
    );
  }
  return limit;
}
