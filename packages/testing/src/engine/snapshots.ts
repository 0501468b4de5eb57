import type { Filesystem, Run, Sync, Vm } from "@arker-ai/core/wire";
import type { FileView } from "./command-stubs.js";
import type { VmRecord } from "./records.js";
import type { FakeState } from "./state.js";
import { filesystemView, runView, syncView, vmView } from "./views.js";

/**
 * Read-only snapshots of the fake's state for assertions (`fake.vms`, ...).
 *
 * @module
 */

/** A VM as `fake.vms` shows it: the wire `Vm` plus its runs and mounts. */
export interface FakeVmSnapshot extends Vm {
  /** Every run of the VM, newest first. */
  runs: Run[];
  /** The VM's mounts. */
  syncs: Sync[];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Snapshot of one VM. */
export function vmSnapshot(vm: VmRecord): FakeVmSnapshot {
  return {
    ...vmView(vm),
    runs: [...vm.runs.values()].sort((a, b) => b.seq - a.seq).map(runView),
    syncs: [...vm.syncs.values()].map(syncView),
  };
}

/** Every VM (goldens included), oldest first, deeply frozen. */
export function vmSnapshots(state: FakeState): readonly FakeVmSnapshot[] {
  return deepFreeze([...state.vms.values()].sort((a, b) => a.seq - b.seq).map(vmSnapshot));
}

/** Every filesystem, oldest first, deeply frozen. */
export function filesystemSnapshots(state: FakeState): readonly Filesystem[] {
  return deepFreeze(
    [...state.filesystems.values()].sort((a, b) => a.seq - b.seq).map(filesystemView),
  );
}

/** A read-only view of a VM's files (mounts included); throws for an unknown VM. */
export function fileViewOf(state: FakeState, vmId: string): FileView {
  const vm = state.vms.get(vmId);
  if (vm === undefined) throw new Error(`no VM ${vmId}`);
  const files = state.filesystemOf(vm);
  return {
    read: (path) => files.readBytes(path),
    exists: (path) => files.kindOf(path) !== undefined,
    list: (directory) => files.list(directory),
  };
}
