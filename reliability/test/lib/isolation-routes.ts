/** One org's resources, as ids. */
export interface Ids {
  vm: string;
  vmName: string;
  orgId: string;
  run: string;
  session: string;
  sync: string;
  filesystem: string;
}

/** One request of the matrix. */
export interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /**
   * What the route does: `vm-read` reads a VM, `vm` acts on a VM or what it holds,
   * `fork` forks it, `fs` touches a filesystem, `list` and `create` need no foreign id.
   */
  family: "vm" | "vm-read" | "fs" | "fork" | "list" | "create";
}

/** Every route of arker-api.md §4, aimed at one org's resources. */
export function routes(ids: Ids, ownFilesystem: string): RouteCase[] {
  const vm = `/v1/vms/${ids.vm}`;
  const write = {
    op: "write",
    writes: [
      { path: "/home/user/pwned", size: 1, upload_id: "upl_x", content: "eA==", start: 0, end: 1 },
    ],
  };
  return [
    { name: "get vm", method: "GET", path: vm, family: "vm-read" },
    { name: "delete vm", method: "DELETE", path: vm, family: "vm" },
    { name: "resize", method: "POST", path: `${vm}/resize`, body: { vcpu_count: 8 }, family: "vm" },
    {
      name: "run",
      method: "POST",
      path: `${vm}/runs`,
      body: { command: "echo pwned > /home/user/pwned" },
      family: "vm",
    },
    { name: "list runs", method: "GET", path: `${vm}/runs`, family: "vm" },
    { name: "get run", method: "GET", path: `${vm}/runs/${ids.run}`, family: "vm" },
    { name: "cancel run", method: "DELETE", path: `${vm}/runs/${ids.run}`, family: "vm" },
    { name: "list sessions", method: "GET", path: `${vm}/sessions`, family: "vm" },
    { name: "create session", method: "POST", path: `${vm}/sessions`, body: {}, family: "vm" },
    { name: "get session", method: "GET", path: `${vm}/sessions/${ids.session}`, family: "vm" },
    {
      name: "delete session",
      method: "DELETE",
      path: `${vm}/sessions/${ids.session}`,
      family: "vm",
    },
    {
      name: "read file",
      method: "POST",
      path: `${vm}/sync`,
      body: { op: "read", path: "/home/user/secret.txt" },
      family: "vm",
    },
    { name: "write file", method: "POST", path: `${vm}/sync`, body: write, family: "vm" },
    {
      name: "presign write",
      method: "POST",
      path: `${vm}/sync`,
      body: {
        op: "write",
        writes: [{ path: "/home/user/pwned", size: 5_000_000, presigned: true }],
      },
      family: "vm",
    },
    { name: "list mounts", method: "GET", path: `${vm}/syncs`, family: "vm" },
    {
      name: "mount own filesystem",
      method: "POST",
      path: `${vm}/syncs`,
      body: { filesystem_id: ownFilesystem, path: "/mnt/pwned" },
      family: "vm",
    },
    { name: "get mount", method: "GET", path: `${vm}/syncs/${ids.sync}`, family: "vm" },
    { name: "unmount", method: "DELETE", path: `${vm}/syncs/${ids.sync}`, family: "vm" },
    {
      name: "fork by id",
      method: "POST",
      path: "/v1/fork",
      body: { source_vm_id: ids.vm },
      family: "fork",
    },
    {
      name: "fork by name",
      method: "POST",
      path: "/v1/fork",
      body: { source_vm_name: ids.vmName, source_org_id: ids.orgId },
      family: "fork",
    },
    {
      name: "get filesystem",
      method: "GET",
      path: `/v1/filesystems/${ids.filesystem}`,
      family: "fs",
    },
    {
      name: "delete filesystem",
      method: "DELETE",
      path: `/v1/filesystems/${ids.filesystem}`,
      family: "fs",
    },
    { name: "list vms", method: "GET", path: "/v1/vms", family: "list" },
    { name: "list filesystems", method: "GET", path: "/v1/filesystems", family: "list" },
    { name: "health", method: "GET", path: "/v1/health", family: "list" },
    {
      name: "create filesystem",
      method: "POST",
      path: "/v1/filesystems",
      body: { name: "x" },
      family: "create",
    },
  ];
}
