import type { Filesystem, Run, Sync, Tunnel, Vm } from "@arker-ai/core/wire";
import type { VmFileSystem } from "../files/vm-filesystem.js";
import type { FilesystemStore } from "../stores/filesystem-store.js";
import type { MountStore } from "../stores/mount-store.js";
import type { VmRecord } from "../stores/records.js";
import type { RunStore } from "../stores/run-store.js";
import type { TunnelStore } from "../stores/tunnel-store.js";
import type { VmStore } from "../stores/vm-store.js";
import type { FileView } from "./command-stubs.js";
import { filesystemView, mountView, runView, tunnelView } from "./views.js";

/**
 * Read-only snapshots of the fake's state for assertions (`fake.vms`, ...).
 *
 * @module
 */

/** A VM as `fake.vms` shows it: the wire `Vm` plus its runs, mounts and tunnels. */
export interface FakeVmSnapshot extends Vm {
  /** Every run of the VM, newest first. */
  runs: Run[];
  /** The VM's mounts. */
  syncs: Sync[];
  /** The VM's tunnels, oldest first, their `url`s on the fake's base URL. */
  tunnels: Tunnel[];
}

/** What snapshots are taken from (the fake's state). */
export interface SnapshotSource {
  readonly vms: VmStore;
  readonly runs: RunStore;
  readonly mounts: MountStore;
  readonly filesystems: FilesystemStore;
  readonly tunnels: TunnelStore;
  /** A VM on the wire. */
  vmView(vm: VmRecord): Vm;
  /** A VM's files, mounts included. */
  filesystemOf(vm: VmRecord): VmFileSystem;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Every VM (goldens included), oldest first, deeply frozen; tunnel URLs on `origin`. */
export function vmSnapshots(source: SnapshotSource, origin: string): readonly FakeVmSnapshot[] {
  return deepFreeze(
    source.vms
      .all()
      .sort((a, b) => a.seq - b.seq)
      .map(
        (vm): FakeVmSnapshot => ({
          ...source.vmView(vm),
          runs: source.runs
            .list(vm)
            .sort((a, b) => b.seq - a.seq)
            .map(runView),
          syncs: source.mounts.list(vm).map(mountView),
          tunnels: source.tunnels.list(vm).map((tunnel) => tunnelView(tunnel, vm, origin)),
        }),
      ),
  );
}

/** Every filesystem, oldest first, deeply frozen. */
export function filesystemSnapshots(source: SnapshotSource): readonly Filesystem[] {
  return deepFreeze(
    source.filesystems
      .all()
      .sort((a, b) => a.seq - b.seq)
      .map(filesystemView),
  );
}

/** A read-only view of a VM's files (mounts included); throws for an unknown VM. */
export function fileViewOf(source: SnapshotSource, vmId: string): FileView {
  const vm = source.vms.get(vmId);
  if (vm === undefined) throw new Error(`no VM ${vmId}`);
  const files = source.filesystemOf(vm);
  return {
    read: (path) => files.readBytes(path),
    exists: (path) => files.kindOf(path) !== undefined,
    list: (directory) => files.list(directory),
  };
}
