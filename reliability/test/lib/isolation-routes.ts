import { ROUTE_NAMES, ROUTES, type RouteName, routePath } from "@arker-ai/core/contract";

/** One org's resources, as ids. */
export interface Ids {
  vm: string;
  vmName: string;
  orgId: string;
  run: string;
  session: string;
  sync: string;
  filesystem: string;
  /** The port of an open tunnel of the VM. */
  port: string;
}

/**
 * What a route does: `vm-read` reads a VM, `vm` acts on a VM or what it holds,
 * `fork` forks it, `fs` touches a filesystem, `list` and `create` need no foreign id.
 */
export type Family = "vm" | "vm-read" | "fs" | "fork" | "list" | "create";

/** One request of the matrix. */
export interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** A raw body (a route whose body is bytes, such as an archive). */
  bytes?: Uint8Array;
  family: Family;
}

/** One request to make of a route: its label, family and body (aimed at one org's ids). */
interface Variant {
  name: string;
  family: Family;
  body?: (ids: Ids, ownFilesystem: string) => unknown;
  /** A query string to add to the path, and a raw body. */
  query?: string;
  bytes?: Uint8Array;
}

/** A one-file tar (`pwned`, 1 byte), written out by hand: header, data, end blocks. */
function oneFileTar(): Uint8Array {
  const tar = new Uint8Array(512 * 4);
  const put = (text: string, at: number) => tar.set(new TextEncoder().encode(text), at);
  put("pwned", 0);
  put("0000644\0", 100);
  put("0000000\0", 108);
  put("0000000\0", 116);
  put("00000000001\0", 124);
  put("00000000000\0", 136);
  put("        ", 148);
  put("0", 156);
  put("ustar\0", 257);
  put("00", 263);
  const sum = tar.subarray(0, 512).reduce((total, byte) => total + byte, 0);
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  put("x", 512);
  return tar;
}

const archive = oneFileTar();

const inlineWrite = {
  op: "write",
  writes: [
    { path: "/home/user/pwned", size: 1, upload_id: "upl_x", content: "eA==", start: 0, end: 1 },
  ],
};

/**
 * The requests to make of each route of the contract's table. Keyed by route name, so a
 * route added to `ROUTES` without an entry here does not compile.
 */
const VARIANTS: { readonly [Name in RouteName]: readonly Variant[] } = {
  health: [{ name: "health", family: "list" }],
  fork: [
    { name: "fork by id", family: "fork", body: (ids) => ({ source_vm_id: ids.vm }) },
    {
      name: "fork by name",
      family: "fork",
      body: (ids) => ({ source_vm_name: ids.vmName, source_org_id: ids.orgId }),
    },
  ],
  listVms: [{ name: "list vms", family: "list" }],
  getVm: [{ name: "get vm", family: "vm-read" }],
  deleteVm: [{ name: "delete vm", family: "vm" }],
  resizeVm: [{ name: "resize", family: "vm", body: () => ({ vcpu_count: 8 }) }],
  updateVm: [{ name: "patch resources", family: "vm", body: () => ({ resources: { vcpu: 8 } }) }],
  createRun: [
    { name: "run", family: "vm", body: () => ({ command: "echo pwned > /home/user/pwned" }) },
  ],
  listRuns: [{ name: "list runs", family: "vm" }],
  getRun: [{ name: "get run", family: "vm" }],
  cancelRun: [{ name: "cancel run", family: "vm" }],
  createSession: [{ name: "create session", family: "vm", body: () => ({}) }],
  listSessions: [{ name: "list sessions", family: "vm" }],
  getSession: [{ name: "get session", family: "vm" }],
  deleteSession: [{ name: "delete session", family: "vm" }],
  createPtyTicket: [{ name: "pty ticket", family: "vm" }],
  // A plain GET: auth and the VM/session checks answer before the missing upgrade (400).
  openPty: [{ name: "pty", family: "vm" }],
  syncFiles: [
    {
      name: "read file",
      family: "vm",
      body: () => ({ op: "read", path: "/home/user/secret.txt" }),
    },
    { name: "write file", family: "vm", body: () => inlineWrite },
    {
      name: "presign write",
      family: "vm",
      body: () => ({
        op: "write",
        writes: [{ path: "/home/user/pwned", size: 5_000_000, presigned: true }],
      }),
    },
  ],
  syncFile: [
    {
      name: "write file bytes",
      family: "vm",
      query: `?path=%2Fhome%2Fuser%2Fpwned&size=5&upload_id=upl_pwned`,
      bytes: new TextEncoder().encode("pwned"),
    },
  ],
  syncStream: [
    {
      name: "extract archive",
      family: "vm",
      query: `?path=%2Fhome%2Fuser&size=${archive.byteLength}&extract=tar`,
      bytes: archive,
    },
  ],
  createMount: [
    {
      name: "mount own filesystem",
      family: "vm",
      body: (_ids, ownFilesystem) => ({ filesystem_id: ownFilesystem, path: "/mnt/pwned" }),
    },
    {
      name: "mount by name",
      family: "vm",
      body: () => ({ filesystem_name: "pwned", create_if_missing: true }),
    },
  ],
  listMounts: [{ name: "list mounts", family: "vm" }],
  getMount: [{ name: "get mount", family: "vm" }],
  deleteMount: [{ name: "unmount", family: "vm" }],
  createTunnel: [
    { name: "open tunnel", family: "vm", body: () => ({ port: 8443, visibility: "public" }) },
  ],
  listTunnels: [{ name: "list tunnels", family: "vm" }],
  getTunnel: [{ name: "get tunnel", family: "vm" }],
  deleteTunnel: [{ name: "close tunnel", family: "vm" }],
  createFilesystem: [{ name: "create filesystem", family: "create", body: () => ({ name: "x" }) }],
  listFilesystems: [{ name: "list filesystems", family: "list" }],
  getFilesystem: [{ name: "get filesystem", family: "fs" }],
  deleteFilesystem: [{ name: "delete filesystem", family: "fs" }],
};

/** Every route of the contract's table (`ROUTES`), aimed at one org's resources. */
export function routes(ids: Ids, ownFilesystem: string): RouteCase[] {
  const params = {
    vm_id: ids.vm,
    run_id: ids.run,
    session_id: ids.session,
    sync_id: ids.sync,
    filesystem_id: ids.filesystem,
    port: ids.port,
  };
  return ROUTE_NAMES.flatMap((name) => {
    const route = ROUTES[name];
    const path = routePath(route, params);
    return VARIANTS[name].map(
      (variant): RouteCase => ({
        name: variant.name,
        method: route.method,
        path: `${path}${variant.query ?? ""}`,
        family: variant.family,
        ...(variant.body === undefined ? {} : { body: variant.body(ids, ownFilesystem) }),
        ...(variant.bytes === undefined ? {} : { bytes: variant.bytes }),
      }),
    );
  });
}
