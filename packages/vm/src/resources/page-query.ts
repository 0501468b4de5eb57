import { optionalOneOf, optionalString, validateLimit } from "@arker-ai/core/internal";

/** The paging options every list by state takes. */
export interface StatePageOptions<S extends string> {
  state?: S;
  limit?: number;
  cursor?: string;
}

/** The checked `state`, `limit` and `cursor` query of a list filtered by state. */
export function statePageQuery<S extends string>(
  options: StatePageOptions<S>,
  states: readonly S[],
): { state: S | undefined; limit: number | undefined; cursor: string | undefined } {
  return {
    state: optionalOneOf(options.state, states, "state"),
    limit: validateLimit(options.limit),
    cursor: optionalString(options.cursor, "cursor"),
  };
}
