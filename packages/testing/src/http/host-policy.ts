import { networkInterfaces } from "node:os";

/**
 * Which host names the fake answers to: the `Host` header of every request on the
 * listening door and the `Origin` header of control requests must name loopback, the
 * host it binds, or an allowed host. A web page that rebinds its own DNS name to
 * 127.0.0.1 reaches the port, but its requests carry its own name, and are refused.
 *
 * @module
 */

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", ""]);

/** Whether a bind address is loopback (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const name = normalizeHostname(host);
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Whether a bind address is a wildcard (every interface). */
export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(normalizeHostname(host));
}

/** Lower case, no IPv6 brackets, no trailing dot. */
function normalizeHostname(name: string): string {
  let out = name.trim().toLowerCase();
  if (out.startsWith("[") && out.endsWith("]")) out = out.slice(1, -1);
  if (out.endsWith(".")) out = out.slice(0, -1);
  return out;
}

/**
 * The host name of a `Host` header value (`name[:port]`, `[v6][:port]`), or `undefined`
 * if malformed. Compared as written: no URL normalisation, so `0x7f000001` or
 * `2130706433` do not pass for `127.0.0.1` (a browser always sends the normal form).
 */
export function hostnameOfHeader(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  let host = text;
  let rest = "";
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return undefined;
    host = text.slice(1, end);
    rest = text.slice(end + 1);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon >= 0) {
      host = text.slice(0, colon);
      rest = text.slice(colon);
    }
  }
  if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
  if (host === "" || !/^[a-z0-9.:_-]+$/.test(host)) return undefined;
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

/** The addresses of this machine's interfaces (what a client on the LAN may name). */
export function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) out.push(entry.address.toLowerCase());
  }
  return out;
}

/** The host names one fake answers to. */
export class HostPolicy {
  readonly #names: Set<string>;

  /**
   * `bound`: the host the door binds (`undefined` in-process); a wildcard adds every
   * interface address. `extra`: the `allowedHosts` option and, in-process, the door's
   * own reserved name.
   */
  constructor(bound: string | undefined, extra: readonly string[]) {
    const names = [...LOOPBACK_NAMES, ...extra];
    if (bound !== undefined)
      names.push(...(isWildcardHost(bound) ? interfaceAddresses() : [bound]));
    this.#names = new Set(names.map(normalizeHostname));
  }

  /** Whether a host name (as {@link hostnameOfHeader} gives it) is served. */
  allowsHostname(hostname: string | undefined): boolean {
    return hostname !== undefined && this.#names.has(hostname);
  }

  /** Whether an `Origin` header names a host served (`null` and malformed origins do not). */
  allowsOrigin(origin: string): boolean {
    try {
      const url = new URL(origin);
      if (url.protocol !== "http:" && url.protocol !== "https:") return false;
      return this.#names.has(normalizeHostname(url.hostname));
    } catch {
      return false;
    }
  }
}
