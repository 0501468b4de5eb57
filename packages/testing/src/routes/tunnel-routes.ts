import {
  portProblem,
  type RouteResponse,
  TUNNEL_PROTOCOLS,
  TUNNEL_STATES,
  TUNNEL_VISIBILITIES,
} from "@arker-ai/core/contract";
import { tunnelView } from "../engine/views.js";
import { badRequest } from "../support/errors.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Tunnel routes (`/v1/vms/{vm_id}/tunnels`): a port of a VM forwarded to a URL on the
 * fake's own origin, served by `fake.tunnels.serve`. A new tunnel is `private` and `http`
 * unless asked otherwise, and `open` at once.
 *
 * @module
 */

const DIGITS = /^\d{1,5}$/;

/** A `{port}` path parameter as a number; 400 unless 1–65535. */
function portParameter(raw: string): number {
  const port = DIGITS.test(raw) ? Number(raw) : raw;
  const problem = portProblem(port);
  if (problem !== undefined) throw badRequest(problem);
  return port as number;
}

function oneOf<Value extends string>(
  value: string | undefined,
  field: string,
  values: readonly Value[],
): Value | undefined {
  if (value !== undefined && !(values as readonly string[]).includes(value))
    throw badRequest(`${field} must be ${values.join(" or ")}; got ${JSON.stringify(value)}`);
  return value as Value | undefined;
}

/** The tunnel handlers. */
export const tunnelHandlers: Pick<
  ApiHandlers,
  "createTunnel" | "listTunnels" | "getTunnel" | "deleteTunnel"
> = {
  createTunnel: ({ state, orgId, params, body, origin }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const port = body.value("port");
    const problem = portProblem(port);
    if (problem !== undefined) throw badRequest(problem);
    const visibility =
      oneOf(body.string("visibility"), "visibility", TUNNEL_VISIBILITIES) ?? "private";
    const protocol = oneOf(body.string("protocol"), "protocol", TUNNEL_PROTOCOLS) ?? "http";
    const tunnel = state.tunnels.open({ vmId: vm.id, port: port as number, visibility, protocol });
    return tunnelView(tunnel, vm, origin);
  },

  listTunnels: ({ state, orgId, params, query, origin }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    const wanted = query.oneOf("state", TUNNEL_STATES);
    return listPage(
      query,
      "tunnels",
      state.tunnels.list(vm),
      (tunnel) => tunnelView(tunnel, vm, origin),
      (tunnel) => wanted === undefined || tunnelView(tunnel, vm, origin).state === wanted,
    );
  },

  getTunnel: ({ state, orgId, params, origin }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    return tunnelView(state.tunnels.find(vm, portParameter(params.port)), vm, origin);
  },

  deleteTunnel: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    state.tunnels.remove(state.tunnels.find(vm, portParameter(params.port)));
    return { deleted: true } satisfies RouteResponse<"deleteTunnel">;
  },
};
