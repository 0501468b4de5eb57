import { envProblem, pathProblem } from "@arker-ai/core/contract";
import { badRequest } from "../support/errors.js";

/**
 * Reads a route's JSON body through its wire request type: a field name must be a key
 * of the route's body (`RouteBody<Name>`) holding the type read, so a field renamed in
 * `@arker-ai/core/wire` breaks the compile here as in the SDK. Absent and `null` both
 * mean "not given"; a wrong type is a 400 naming the field.
 *
 * @module
 */

/** The field names of a body type (of every member of a union). */
export type BodyField<Body> = Body extends unknown ? Extract<keyof Body, string> : never;

type FieldValue<Body, Field> = Body extends unknown
  ? Field extends keyof Body
    ? NonNullable<Body[Field]>
    : never
  : never;

/** The field names of a body type whose values are of type `Value` (nullable or not). */
export type BodyFieldOf<Body, Value> = {
  [Field in BodyField<Body>]: [FieldValue<Body, Field>] extends [Value] ? Field : never;
}[BodyField<Body>];

/** A JSON body read through the route's request type. */
export class BodyReader<Body> {
  readonly #json: Record<string, unknown>;

  /** Reads `json` (the parsed body; `{}` when there is none). */
  constructor(json: Record<string, unknown>) {
    this.#json = json;
  }

  #given(field: string): unknown {
    const value = this.#json[field];
    return value === null ? undefined : value;
  }

  /** A field as sent, unchecked (for fields a service checks itself). */
  value(field: BodyField<Body>): unknown {
    return this.#json[field];
  }

  /** An optional string. */
  string(field: BodyFieldOf<Body, string>): string | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw badRequest(`${field} must be a string`);
    return value;
  }

  /** A required string. */
  requiredString(field: BodyFieldOf<Body, string>): string {
    const value = this.string(field);
    if (value === undefined) throw badRequest(`${field} is required`);
    return value;
  }

  /** An optional boolean. */
  boolean(field: BodyFieldOf<Body, boolean>): boolean | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") throw badRequest(`${field} must be a boolean`);
    return value;
  }

  /** An optional integer. */
  integer(field: BodyFieldOf<Body, number>): number | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value))
      throw badRequest(`${field} must be an integer`);
    return value;
  }

  /** An optional finite number ≥ 0. */
  nonNegative(field: BodyFieldOf<Body, number>): number | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw badRequest(`${field} must be a number ≥ 0`);
    return value;
  }

  /** An optional environment map, by the contract's rule (`envProblem`). */
  env(field: BodyFieldOf<Body, Record<string, string>>): Record<string, string> | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    const problem = envProblem(value, field);
    if (problem !== undefined) throw badRequest(problem);
    return { ...(value as Record<string, string>) };
  }

  /** An optional path inside a VM, by the contract's rule (`pathProblem`), as given. */
  path(field: BodyFieldOf<Body, string>): string | undefined {
    const value = this.#given(field);
    if (value === undefined) return undefined;
    const problem = pathProblem(value, field);
    if (problem !== undefined) throw badRequest(problem);
    return value as string;
  }
}
