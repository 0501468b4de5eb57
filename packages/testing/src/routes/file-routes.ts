import { badRequest } from "../support/errors.js";
import { ok, type Route } from "./route.js";

/**
 * `POST /v1/vms/{id}/sync`: file read and write, discriminated by `op`. Idempotent on
 * `upload_id` rather than on `Idempotency-Key`, which this route ignores.
 *
 * @module
 */

/** The file sync route. */
export const fileRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/vms/:vm/sync",
    idempotent: false,
    auth: true,
    handle({ state, fileSync, orgId, params, body, origin }) {
      const vm = state.ownedVm(orgId, params.vm!);
      switch (body.op) {
        case "read":
          return ok(fileSync.read(vm, body.path, origin));
        case "write":
          return ok(fileSync.write(vm, body.writes, origin));
        default:
          throw badRequest(`op must be "read" or "write", got ${JSON.stringify(body.op ?? null)}`);
      }
    },
  },
];
