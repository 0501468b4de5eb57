import { badRequest } from "../support/errors.js";

/**
 * Field readers for JSON request bodies: absent and `null` both mean "not given";
 * a wrong type is a 400 naming the field.
 *
 * @module
 */

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional string field. */
export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${field} must be a string`);
  return value;
}

/** A required string field. */
export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw badRequest(`${field} is required`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${field} must be a boolean`);
  return value;
}

/** An optional integer field. */
export function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw badRequest(`${field} must be an integer`);
  return value;
}

/** An optional finite number ≥ 0. */
export function optionalNonNegative(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw badRequest(`${field} must be a number ≥ 0`);
  }
  return value;
}

/** An optional `{ name: string }` environment object. */
export function optionalEnv(body: JsonObject, field: string): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw badRequest(`${field} must be an object of strings`);
  const env: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw badRequest(`${field}.${key} must be a string`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw badRequest(`${field} has an invalid variable name: ${key}`);
    env[key] = entry;
  }
  return env;
}

/** An optional absolute directory path. */
export function optionalCwd(body: JsonObject, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!value.startsWith("/") || value.includes("\u0000"))
    throw badRequest(`${field} must be an absolute path`);
  return value;
}
