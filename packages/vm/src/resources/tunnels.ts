import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import {
  portProblem,
  TUNNEL_PROTOCOLS,
  TUNNEL_STATES,
  TUNNEL_VISIBILITIES,
  type TunnelProtocol,
  type TunnelState,
  type TunnelVisibility,
} from "@arker-ai/core/contract";
import {
  acknowledgement,
  badRequest,
  objectDecoder,
  optionalOneOf,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  withAsyncDispose,
} from "@arker-ai/core/internal";
import type { CreateTunnelRequest, Tunnel } from "@arker-ai/core/wire";
import { statePageQuery } from "./page-query";

/**
 * The tunnels resource of a VM: a port inside the VM forwarded to a URL.
 *
 * @module
 */

/** Options of `createTunnel`. */
export interface CreateTunnelOptions extends CallOptions {
  /** `private` (the service's default: the URL needs your API key) or `public`. */
  visibility?: TunnelVisibility;
  /** `http` (the default) or `tcp`. */
  protocol?: TunnelProtocol;
}

/** Options of `listTunnels`. */
export interface ListTunnelsOptions extends CallOptions {
  /** Only tunnels in this state. */
  state?: TunnelState;
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** Decodes a tunnel answer. */
export const decodeTunnel = objectDecoder<Tunnel>("tunnel", {
  vm_id: "string",
  port: "number",
  visibility: "string",
  protocol: "string",
  state: "string",
  run_id: "string|null",
  url: "string|null",
  message: "string|null",
  started_at: "string|null",
});

const decodeDeleted = acknowledgement("tunnel delete");

const CREATE_TUNNEL_KEYS = optionKeys<CreateTunnelOptions>({
  visibility: true,
  protocol: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});
const LIST_TUNNELS_KEYS = optionKeys<ListTunnelsOptions>({
  state: true,
  limit: true,
  cursor: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/** A port, checked before sending: an integer 1–65535, else `bad_request`. */
export function validatePort(port: unknown): number {
  const problem = portProblem(port);
  if (problem !== undefined) throw badRequest(problem);
  return port as number;
}

/** Checks tunnel options and builds the `POST /v1/vms/{vm_id}/tunnels` body. */
export function createTunnelRequest(
  port: number,
  options: CreateTunnelOptions = {},
): CreateTunnelRequest {
  if (typeof options !== "object" || options === null) {
    throw badRequest("createTunnel options must be an object");
  }
  rejectUnknownOptions(options, CREATE_TUNNEL_KEYS, "createTunnel");
  const body: CreateTunnelRequest = { port: validatePort(port) };
  const visibility = optionalOneOf(options.visibility, TUNNEL_VISIBILITIES, "visibility");
  const protocol = optionalOneOf(options.protocol, TUNNEL_PROTOCOLS, "protocol");
  if (visibility !== undefined) body.visibility = visibility;
  if (protocol !== undefined) body.protocol = protocol;
  return body;
}

/** `POST /v1/vms/{vm_id}/tunnels`. */
export async function createTunnel(
  client: ArkerClient,
  vmId: string,
  port: number,
  options: CreateTunnelOptions | undefined,
): Promise<CreatedTunnel> {
  const body = createTunnelRequest(port, options);
  const { data, requestId } = await client.call(
    "createTunnel",
    { params: { vm_id: vmId }, body },
    options,
  );
  const tunnel = decodeTunnel(data, requestId);
  return withAsyncDispose(tunnel, () => deleteTunnel(client, vmId, port, undefined));
}

/**
 * A tunnel just opened: the wire object, plus an async disposer that closes it, for
 * `await using tunnel = await vm.createTunnel(8080)`.
 */
export type CreatedTunnel = Tunnel & AsyncDisposable;

/** `GET /v1/vms/{vm_id}/tunnels`, iterable across pages. */
export async function listTunnels(
  client: ArkerClient,
  vmId: string,
  options: ListTunnelsOptions = {},
): Promise<Page<Tunnel>> {
  rejectUnknownOptions(options, LIST_TUNNELS_KEYS, "listTunnels");
  const query = statePageQuery(options, TUNNEL_STATES);
  return client.page("listTunnels", { params: { vm_id: vmId }, query }, decodeTunnel, options);
}

/** `GET /v1/vms/{vm_id}/tunnels/{port}`. */
export async function getTunnel(
  client: ArkerClient,
  vmId: string,
  port: number,
  options: CallOptions | undefined,
): Promise<Tunnel> {
  rejectUnknownCallOptions(options, "getTunnel");
  const params = { vm_id: vmId, port: String(validatePort(port)) };
  const { data, requestId } = await client.call("getTunnel", { params }, options);
  return decodeTunnel(data, requestId);
}

/** `DELETE /v1/vms/{vm_id}/tunnels/{port}`. */
export async function deleteTunnel(
  client: ArkerClient,
  vmId: string,
  port: number,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "deleteTunnel");
  const params = { vm_id: vmId, port: String(validatePort(port)) };
  const { data, requestId } = await client.call("deleteTunnel", { params }, options);
  decodeDeleted(data, requestId);
}
