import type { HealthResponse } from "@arker-ai/core/wire";
import { ok, type Route } from "./route.js";

/**
 * `GET /v1/health`, the one route without auth.
 *
 * @module
 */

/** The health route. */
export const healthRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/health",
    idempotent: false,
    auth: false,
    handle({ state }) {
      return ok({ status: "ok", timestamp: state.clock.iso() } satisfies HealthResponse);
    },
  },
];
