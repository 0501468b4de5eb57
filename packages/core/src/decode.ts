import type { ArkerError } from "./errors";
import { isRecord, malformedResponse } from "./errors";

/**
 * The decoder toolkit: every answer the SDK reads is checked field by field here and
 * refused with the one "malformed response" error, so no resource casts a wire type
 * unchecked. Unknown extra fields are kept (the API may add fields).
 *
 * @module
 */

/**
 * What a field of an answer must hold. `…|null` also accepts an absent field (the
 * service leaves out nulls in some versions); `optional …` accepts absent only.
 */
export type FieldRule =
  | "string"
  | "number"
  | "boolean"
  | "object"
  | "array"
  | "string|null"
  | "number|null"
  | "optional string"
  | "optional number"
  | "optional boolean"
  | "optional object"
  | "optional array";

/** A rule for every field of `T` (a field added to a wire type without a rule fails the compile). */
export type FieldRules<T> = { readonly [Key in keyof T]-?: FieldRule };

/** Decodes an answer (or one item of a list) into a checked value. */
export type Decoder<T> = (data: unknown, requestId: string | null) => T;

const TYPE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (value) => typeof value === "string",
  number: (value) => typeof value === "number" && Number.isFinite(value),
  boolean: (value) => typeof value === "boolean",
  object: isRecord,
  array: Array.isArray,
};

/** Whether `value` satisfies `rule`. */
export function satisfies(value: unknown, rule: FieldRule): boolean {
  if (rule.endsWith("|null")) {
    if (value === null || value === undefined) return true;
    return TYPE_CHECKS[rule.slice(0, -5)]!(value);
  }
  if (rule.startsWith("optional ")) {
    if (value === undefined) return true;
    return TYPE_CHECKS[rule.slice(9)]!(value);
  }
  return TYPE_CHECKS[rule]!(value);
}

/**
 * A decoder that checks an answer is an object whose fields follow `rules`; `what`
 * names the answer in the error, e.g. `VM`.
 *
 * @example
 * const decodeSync = objectDecoder<Sync>("mount", { sync_id: "string", vm_id: "string", … });
 */
export function objectDecoder<T>(what: string, rules: FieldRules<T>): Decoder<T> {
  const entries = Object.entries(rules) as Array<[string, FieldRule]>;
  return (data, requestId) => {
    const record = expectObject(data, what, requestId);
    for (const [field, rule] of entries) {
      if (!satisfies(record[field], rule)) throw fieldError(what, field, rule, requestId);
    }
    return record as T;
  };
}

/** Checks that an answer is a JSON object. */
export function expectObject(
  data: unknown,
  what: string,
  requestId: string | null,
): Record<string, unknown> {
  if (!isRecord(data)) throw malformedResponse(`${what} response is not an object`, requestId);
  return data;
}

/** Reads one field of an object that must follow `rule`. */
export function field<Value = unknown>(
  record: Record<string, unknown>,
  name: string,
  rule: FieldRule,
  what: string,
  requestId: string | null,
): Value {
  const value = record[name];
  if (!satisfies(value, rule)) throw fieldError(what, name, rule, requestId);
  return value as Value;
}

/**
 * A decoder of an acknowledgement such as `{ deleted: true }`: the answer must be an
 * object; its content is not needed.
 */
export function acknowledgement(what: string): Decoder<void> {
  return (data, requestId) => {
    expectObject(data, what, requestId);
  };
}

/**
 * Decodes a list page: the items under `itemsKey`, each through `decodeItem`, and
 * `next_cursor` (a string, or null/absent on the last page).
 */
export function decodePage<T>(
  data: unknown,
  itemsKey: string,
  decodeItem: Decoder<T>,
  requestId: string | null,
): { items: T[]; nextCursor: string | null } {
  const what = `list of ${itemsKey}`;
  const record = expectObject(data, what, requestId);
  const items = field<unknown[]>(record, itemsKey, "array", what, requestId);
  const nextCursor = field<string | null>(record, "next_cursor", "string|null", what, requestId);
  return {
    items: items.map((item) => decodeItem(item, requestId)),
    nextCursor: nextCursor ?? null,
  };
}

function fieldError(
  what: string,
  name: string,
  rule: FieldRule,
  requestId: string | null,
): ArkerError {
  return malformedResponse(`${what} response: ${name} must be ${rule}`, requestId);
}
