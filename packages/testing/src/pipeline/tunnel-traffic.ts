import type { FakeState } from "../engine/fake-state.js";
import type { FakeRequest, FakeResponse } from "../http/http-types.js";
import { parseTunnelPath } from "../http/tunnel-paths.js";
import { ApiError, notFound } from "../support/errors.js";

/**
 * Tunnel traffic: a request to a tunnel's `url` (`/_tunnels/<vm>/<port>/…`), through
 * either door, handed to the handler `fake.tunnels.serve` registered for that port as a
 * web `Request` whose URL is the one inside the VM (`http://localhost:<port>/…`).
 * A tunnel that is not open is 404; a private one needs the owner org's API key (which
 * is not passed on); no handler, or a handler that throws, is 502 — what a real tunnel
 * answers when nothing listens on the port.
 *
 * @module
 */

/** Headers that describe the hop, not the request: never passed on either way. */
const HOP_HEADERS = new Set([
  "authorization",
  "connection",
  "content-length",
  "host",
  "keep-alive",
  "transfer-encoding",
]);

function badGateway(message: string): ApiError {
  return new ApiError("unavailable", message, 502);
}

/** The tunnel a request is for, checked; throws the answer's error otherwise. */
function openTunnel(state: FakeState, request: FakeRequest, rawPath: string) {
  const target = parseTunnelPath(rawPath);
  if (target === undefined) throw notFound(`no tunnel at ${rawPath}`);
  const vm = state.vms.get(target.vmId);
  const tunnel = vm === undefined ? undefined : state.tunnels.get(vm.id, target.port);
  if (vm === undefined || tunnel === undefined)
    throw notFound(`tunnel not found: ${target.vmId} port ${target.port}`);
  if (tunnel.visibility === "private") {
    const orgId = state.orgs.authenticate(request.headers.authorization);
    if (orgId !== vm.ownerOrgId)
      throw notFound(`tunnel not found: ${target.vmId} port ${target.port}`);
  }
  if (vm.failed) throw badGateway(`vm ${vm.id} is failed: its host failed`);
  return target;
}

/** Answers one request to a tunnel's URL. */
export async function serveTunnel(
  state: FakeState,
  request: FakeRequest,
  rawPath: string,
  query: string,
): Promise<FakeResponse> {
  const target = openTunnel(state, request, rawPath);
  const handler = state.tunnelServers.handlerOf(target.vmId, target.port);
  if (handler === undefined) {
    throw badGateway(
      `nothing serves port ${target.port} of ${target.vmId} (fake.tunnels.serve registers a handler)`,
    );
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (!HOP_HEADERS.has(name)) headers.set(name, value);
  const method = request.method.toUpperCase();
  const withBody = method !== "GET" && method !== "HEAD" && request.body !== null;
  const inside = new Request(
    `http://localhost:${target.port}${target.path}${query === "" ? "" : `?${query}`}`,
    { method, headers, ...(withBody ? { body: request.body as Uint8Array<ArrayBuffer> } : {}) },
  );
  let response: Response;
  try {
    response = await handler(inside);
    if (!(response instanceof Response))
      throw new TypeError("the handler did not return a Response");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badGateway(`the handler of port ${target.port} of ${target.vmId} failed: ${message}`);
  }
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) out[name] = value;
  });
  return {
    status: response.status,
    headers: out,
    body: new Uint8Array(await response.arrayBuffer()),
  };
}
