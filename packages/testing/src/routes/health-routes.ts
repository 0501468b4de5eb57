import type { RouteResponse } from "@arker-ai/core/contract";
import type { ApiHandlers } from "./handler-types.js";

/**
 * `GET /v1/health`, the one API route without auth.
 *
 * @module
 */

/** The health handler. */
export const healthHandlers: Pick<ApiHandlers, "health"> = {
  health: ({ state }) =>
    ({ status: "ok", timestamp: state.clock.iso() }) satisfies RouteResponse<"health">,
};
