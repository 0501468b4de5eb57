/**
 * Where a tunnel's `url` lives on the fake's own origin (either door):
 * `<origin>/_tunnels/<vm_id>/<port>/<path inside the VM>`. Outside `/v1` and `/_fake`, so
 * it never meets an API route.
 *
 * @module
 */

/** The path prefix of tunnel traffic. */
export const TUNNEL_PATH_PREFIX = "/_tunnels/";

/** A tunnel's base URL on `origin`, ending in `/`. */
export function tunnelUrl(origin: string, vmId: string, port: number): string {
  return `${origin}${TUNNEL_PATH_PREFIX}${encodeURIComponent(vmId)}/${port}/`;
}

/** A request path below a tunnel, parsed. */
export interface TunnelTarget {
  vmId: string;
  port: number;
  /** The path inside the VM, starting with `/`. */
  path: string;
}

const TUNNEL_PATH = /^\/_tunnels\/([^/]+)\/(\d{1,5})(\/.*)?$/;

/** Parses a raw request path under {@link TUNNEL_PATH_PREFIX}; `undefined` when malformed. */
export function parseTunnelPath(rawPath: string): TunnelTarget | undefined {
  const match = TUNNEL_PATH.exec(rawPath);
  if (match === null) return undefined;
  let vmId: string;
  try {
    vmId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return { vmId, port: Number(match[2]), path: match[3] ?? "/" };
}
