// Proves the read-only snapshots of the fake's state: order, contents, deep freezing, and the file view.
import { describe, expect, it } from "vitest";
import { filesystemSnapshots, fileViewOf, vmSnapshots } from "../src/engine/snapshots.js";
import { fileNode } from "../src/files/cow-tree.js";
import { bench, UBUNTU_FORK } from "./runner-unit.js";

const FORK = UBUNTU_FORK;

describe("vmSnapshots", () => {
  it("lists every VM oldest first with its runs newest first, syncs and tunnels", async () => {
    const b = bench();
    const { state, vm } = b;
    const second = state.fork(state.options.orgId, FORK);
    await b.start("echo one");
    await b.start("echo two");
    const data = state.filesystems.create(state.options.orgId, "data");
    const mount = state.mount(vm, data, "/mnt/data");
    state.tunnels.open({ vmId: vm.id, port: 8080, visibility: "public", protocol: "http" });
    const oldestFirst = state.vms.all().map((record) => record.id);
    // The store's order reversed: the snapshots sort by creation all the same.
    const source = {
      vms: { all: () => state.vms.all().reverse() } as never,
      runs: state.runs,
      mounts: state.mounts,
      filesystems: state.filesystems,
      tunnels: state.tunnels,
      vmView: (record: never) => state.vmView(record),
      filesystemOf: (record: never) => state.filesystemOf(record),
    };
    const snapshots = vmSnapshots(source, "http://fake");
    expect(snapshots.map((snapshot) => snapshot.vm_id)).toEqual(oldestFirst);
    expect(oldestFirst.slice(-2)).toEqual([vm.id, second.id]);
    const mine = snapshots.at(-2)!;
    expect(mine.vm_id).toBe(vm.id);
    expect(mine.runs.map((run) => run.stdout)).toEqual(["two\n", "one\n"]);
    expect(mine.syncs).toEqual([
      { sync_id: mount.id, vm_id: vm.id, filesystem_id: data.id, path: "/mnt/data" },
    ]);
    expect(mine.tunnels).toEqual([
      expect.objectContaining({ port: 8080, url: `http://fake/_tunnels/${vm.id}/8080/` }),
    ]);
    expect(mine.sessions).toHaveLength(1);
    expect(snapshots.at(-1)?.runs).toEqual([]);
  });

  it("is deeply frozen", async () => {
    const b = bench();
    await b.start("echo one");
    const [first] = vmSnapshots(b.state, "http://fake").slice(-1);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.runs)).toBe(true);
    expect(Object.isFrozen(first?.runs[0])).toBe(true);
    expect(Object.isFrozen(first?.sessions[0]?.env)).toBe(true);
  });
});

describe("filesystemSnapshots", () => {
  it("lists every filesystem oldest first, deeply frozen", () => {
    const { state } = bench();
    const first = state.filesystems.create(state.options.orgId, "first");
    const second = state.filesystems.create(state.options.orgId, "second");
    second.tree.set(["f"], fileNode(new Uint8Array(3), 0), true, 0);
    const source = {
      filesystems: { all: () => [second, first] } as never,
      vms: state.vms,
      runs: state.runs,
      mounts: state.mounts,
      tunnels: state.tunnels,
      vmView: (record: never) => state.vmView(record),
      filesystemOf: (record: never) => state.filesystemOf(record),
    };
    const snapshots = filesystemSnapshots(source);
    expect(snapshots.map((filesystem) => [filesystem.name, filesystem.size_bytes])).toEqual([
      ["first", 0],
      ["second", 3],
    ]);
    expect(Object.isFrozen(snapshots)).toBe(true);
    expect(Object.isFrozen(snapshots[0])).toBe(true);
  });
});

describe("fileViewOf", () => {
  it("reads, tests and lists a VM's files, mounts included; throws for an unknown VM", () => {
    const { state, vm } = bench();
    const data = state.filesystems.create(state.options.orgId, "data");
    data.tree.set(["inside"], fileNode(new TextEncoder().encode("x"), 0), true, 0);
    state.mount(vm, data, "/mnt/data");
    const files = fileViewOf(state, vm.id);
    expect(files.read("/etc/hostname")).toEqual(new TextEncoder().encode("ubuntu\n"));
    expect(files.read("/nope")).toBeUndefined();
    expect(files.read("/mnt/data/inside")).toEqual(new TextEncoder().encode("x"));
    expect(files.exists("/etc")).toBe(true);
    expect(files.exists("/nope")).toBe(false);
    expect(files.list("/mnt/data")).toEqual(["inside"]);
    expect(files.list("/etc/hostname")).toBeUndefined();
    expect(() => fileViewOf(state, "vm_nope")).toThrow("no VM vm_nope");
  });
});
