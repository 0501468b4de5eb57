/**
 * The route table of the Arker HTTP API (docs/arker-api.md §4): every route once, with
 * the rules a client and a server must agree on. The SDK builds each request from it,
 * the fake builds its router from it, and the tests walk it.
 *
 * @module
 */

/** HTTP methods the API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Which base URL serves a route: the regional compute host or the control plane. */
export type RouteHost = "compute" | "control";

/** One route of the API. */
export interface RouteDefinition {
  /** The HTTP method. */
  readonly method: HttpMethod;
  /**
   * The path below the base URL, with `{name}` for each path parameter, e.g.
   * `/v1/vms/{vm_id}/runs/{run_id}`. Parameters are one URL-encoded segment each.
   */
  readonly path: string;
  /** The base URL the SDK sends it to (the fake serves every route on one origin). */
  readonly host: RouteHost;
  /**
   * Whether the route takes an `Idempotency-Key`: the SDK sends one per logical call
   * (reused on every retry) and the server replays the first answer for it.
   */
  readonly idempotent: boolean;
  /** Whether the route needs `authorization: Bearer <apiKey>`. */
  readonly auth: boolean;
  /**
   * `"bytes"` for a route whose body is raw bytes (`application/octet-stream`) rather
   * than JSON; absent for JSON.
   */
  readonly body?: "bytes";
  /**
   * The route may answer raw bytes (`application/octet-stream`) to a call that asks for
   * them with `Accept: application/octet-stream`; a server may still answer JSON, which
   * clients must take as well (docs/arker-api.md, Files: a read of up to 4 MiB).
   */
  readonly bytesAnswer?: boolean;
  /**
   * The route is a WebSocket: the GET is upgraded (`https` → `wss`) and answers no JSON.
   * The SDK opens it with `client.connect`, never `client.call`.
   */
  readonly websocket?: boolean;
}

/**
 * Every route of the API, by name. Adding a route is one entry here, one SDK method and
 * one fake handler (a test fails while the fake lacks a handler).
 */
export const ROUTES = {
  health: { method: "GET", path: "/v1/health", host: "compute", idempotent: false, auth: false },

  fork: { method: "POST", path: "/v1/fork", host: "compute", idempotent: true, auth: true },
  listVms: { method: "GET", path: "/v1/vms", host: "control", idempotent: false, auth: true },
  getVm: { method: "GET", path: "/v1/vms/{vm_id}", host: "compute", idempotent: false, auth: true },
  deleteVm: {
    method: "DELETE",
    path: "/v1/vms/{vm_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  resizeVm: {
    method: "POST",
    path: "/v1/vms/{vm_id}/resize",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  // The 0.6-0.8 clients' resize: `{ resources: { vcpu, memory_mib, disk_mib } }`.
  updateVm: {
    method: "PATCH",
    path: "/v1/vms/{vm_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },

  createRun: {
    method: "POST",
    path: "/v1/vms/{vm_id}/runs",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  listRuns: {
    method: "GET",
    path: "/v1/vms/{vm_id}/runs",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  getRun: {
    method: "GET",
    path: "/v1/vms/{vm_id}/runs/{run_id}",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  cancelRun: {
    method: "DELETE",
    path: "/v1/vms/{vm_id}/runs/{run_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },

  createSession: {
    method: "POST",
    path: "/v1/vms/{vm_id}/sessions",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  listSessions: {
    method: "GET",
    path: "/v1/vms/{vm_id}/sessions",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  getSession: {
    method: "GET",
    path: "/v1/vms/{vm_id}/sessions/{session_id}",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  deleteSession: {
    method: "DELETE",
    path: "/v1/vms/{vm_id}/sessions/{session_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  createPtyTicket: {
    method: "POST",
    path: "/v1/vms/{vm_id}/sessions/{session_id}/pty-ticket",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  // The session's terminal, upgraded to a WebSocket; a `ticket` query stands in for the key.
  openPty: {
    method: "GET",
    path: "/v1/vms/{vm_id}/sessions/{session_id}/pty",
    host: "compute",
    idempotent: false,
    auth: true,
    websocket: true,
  },

  // File reads and writes share one op-discriminated route, idempotent on `upload_id`.
  syncFiles: {
    method: "POST",
    path: "/v1/vms/{vm_id}/sync",
    host: "compute",
    idempotent: false,
    auth: true,
    bytesAnswer: true,
  },

  // One file written from its raw bytes (the body), up to the inline limit: the same
  // write as one inline chunk of `syncFiles`, without base64 and JSON. Idempotent on
  // `upload_id`, like that chunk.
  syncFile: {
    method: "POST",
    path: "/v1/vms/{vm_id}/sync-file",
    host: "compute",
    idempotent: false,
    auth: true,
    body: "bytes",
  },

  // A tar (or tar.gz) archive extracted into a directory; the body is the archive.
  // Not keyed: extracting the same archive again writes the same files.
  syncStream: {
    method: "POST",
    path: "/v1/vms/{vm_id}/sync-stream",
    host: "compute",
    idempotent: false,
    auth: true,
    body: "bytes",
  },

  createMount: {
    method: "POST",
    path: "/v1/vms/{vm_id}/syncs",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  listMounts: {
    method: "GET",
    path: "/v1/vms/{vm_id}/syncs",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  getMount: {
    method: "GET",
    path: "/v1/vms/{vm_id}/syncs/{sync_id}",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  deleteMount: {
    method: "DELETE",
    path: "/v1/vms/{vm_id}/syncs/{sync_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },

  createTunnel: {
    method: "POST",
    path: "/v1/vms/{vm_id}/tunnels",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  listTunnels: {
    method: "GET",
    path: "/v1/vms/{vm_id}/tunnels",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  getTunnel: {
    method: "GET",
    path: "/v1/vms/{vm_id}/tunnels/{port}",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  deleteTunnel: {
    method: "DELETE",
    path: "/v1/vms/{vm_id}/tunnels/{port}",
    host: "compute",
    idempotent: true,
    auth: true,
  },

  createFilesystem: {
    method: "POST",
    path: "/v1/filesystems",
    host: "compute",
    idempotent: true,
    auth: true,
  },
  listFilesystems: {
    method: "GET",
    path: "/v1/filesystems",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  getFilesystem: {
    method: "GET",
    path: "/v1/filesystems/{filesystem_id}",
    host: "compute",
    idempotent: false,
    auth: true,
  },
  deleteFilesystem: {
    method: "DELETE",
    path: "/v1/filesystems/{filesystem_id}",
    host: "compute",
    idempotent: true,
    auth: true,
  },
} as const satisfies Record<string, RouteDefinition>;

/** The name of a route of {@link ROUTES}. */
export type RouteName = keyof typeof ROUTES;

/** The names of a path's `{parameters}`, e.g. `"vm_id" | "run_id"`. */
export type PathParameterNames<Path extends string> =
  Path extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParameterNames<Rest> : never;

/** The values of a path's parameters, one string per `{name}`. */
export type PathParameters<Path extends string> = {
  readonly [Name in PathParameterNames<Path>]: string;
};

/** Every route name, in table order. */
export const ROUTE_NAMES: readonly RouteName[] = Object.keys(ROUTES) as RouteName[];

/**
 * Fills a route's `{parameters}`, each URL-encoded as one path segment.
 *
 * @example routePath(ROUTES.getRun, { vm_id: "vm_1", run_id: "run_2" }) // "/v1/vms/vm_1/runs/run_2"
 */
export function routePath<Path extends string>(
  route: { readonly path: Path },
  parameters: PathParameters<Path>,
): string {
  return route.path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = (parameters as Record<string, string | undefined>)[name];
    if (value === undefined) throw new TypeError(`routePath: missing parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** The `{parameter}` names of a path, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1] as string);
}
