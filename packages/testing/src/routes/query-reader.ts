import { badRequest } from "../support/errors.js";

/**
 * Reads a route's query string through its wire query type (`RouteQuery<Name>`): a
 * parameter name must be a key of it. An empty parameter counts as absent.
 *
 * @module
 */

/** The parameter names of a query type. */
export type QueryField<Query> = Query extends unknown ? Extract<keyof Query, string> : never;

const RFC_3339_DATE = /^\d{4}-\d{2}-\d{2}T/;

/** "a or b", "a, b or c". */
function choices(values: readonly string[]): string {
  return values.length < 2
    ? values.join("")
    : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** A query string read through the route's query type; parsed on first use. */
export class QueryReader<Query> {
  readonly #raw: string;
  #parsed: URLSearchParams | undefined;

  /** Reads `raw` (the query string without its `?`). */
  constructor(raw: string) {
    this.#raw = raw;
  }

  /** An optional parameter. */
  string(name: QueryField<Query>): string | undefined {
    this.#parsed ??= new URLSearchParams(this.#raw);
    const value = this.#parsed.get(name);
    return value === null || value === "" ? undefined : value;
  }

  /** An optional parameter that must be one of `values` (an enum of the contract). */
  oneOf<Value extends string>(
    name: QueryField<Query>,
    values: readonly Value[],
  ): Value | undefined {
    const value = this.string(name);
    if (value !== undefined && !(values as readonly string[]).includes(value))
      throw badRequest(`${name} must be ${choices(values)}`);
    return value as Value | undefined;
  }

  /** An optional RFC 3339 time, in epoch ms. */
  time(name: QueryField<Query>): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const time = Date.parse(value);
    if (!Number.isFinite(time) || !RFC_3339_DATE.test(value))
      throw badRequest(`${name} must be an RFC 3339 time`);
    return time;
  }
}
