import { notFound } from "../support/errors.js";
import type { FilesystemRecord, MountRecord, VmRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The live mounts of filesystems into VMs ("syncs" on the wire), by VM and by
 * filesystem.
 *
 * @module
 */

/** The mounts of one fake. */
export class MountStore {
  readonly #context: StoreContext;
  readonly #byVm = new Map<string, Map<string, MountRecord>>();
  readonly #byFilesystem = new Map<string, Set<MountRecord>>();

  /** Creates an empty store. */
  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** The VM's mount at, above or below `path`, if any (mount paths may not nest). */
  overlapping(vm: VmRecord, path: string): MountRecord | undefined {
    for (const mount of this.#byVm.get(vm.id)?.values() ?? []) {
      if (
        mount.path === path ||
        path.startsWith(`${mount.path}/`) ||
        mount.path.startsWith(`${path}/`)
      ) {
        return mount;
      }
    }
    return undefined;
  }

  /** Mounts `filesystem` into `vm` at `path` (already checked). */
  add(vm: VmRecord, filesystem: FilesystemRecord, path: string): MountRecord {
    const mount: MountRecord = {
      id: this.#context.ids.next("sync"),
      seq: this.#context.sequence.next(),
      vmId: vm.id,
      filesystemId: filesystem.id,
      path,
      filesystem,
    };
    let mounts = this.#byVm.get(vm.id);
    if (mounts === undefined) {
      mounts = new Map();
      this.#byVm.set(vm.id, mounts);
    }
    mounts.set(mount.id, mount);
    let users = this.#byFilesystem.get(filesystem.id);
    if (users === undefined) {
      users = new Set();
      this.#byFilesystem.set(filesystem.id, users);
    }
    users.add(mount);
    return mount;
  }

  /** A mount of the VM by id; else 404. */
  find(vm: VmRecord, mountId: string): MountRecord {
    const mount = this.#byVm.get(vm.id)?.get(mountId);
    if (mount === undefined) throw notFound(`sync not found: ${mountId}`);
    return mount;
  }

  /** The VM's mounts, oldest first. */
  list(vm: VmRecord): MountRecord[] {
    return [...(this.#byVm.get(vm.id)?.values() ?? [])];
  }

  /** Whether any VM mounts the filesystem. */
  isMounted(filesystem: FilesystemRecord): boolean {
    return (this.#byFilesystem.get(filesystem.id)?.size ?? 0) > 0;
  }

  /** Unmounts. */
  remove(mount: MountRecord): void {
    this.#byVm.get(mount.vmId)?.delete(mount.id);
    this.#byFilesystem.get(mount.filesystemId)?.delete(mount);
  }

  /** Unmounts everything from a deleted VM (its filesystems stay). */
  removeVm(vm: VmRecord): void {
    for (const mount of this.list(vm)) this.#byFilesystem.get(mount.filesystemId)?.delete(mount);
    this.#byVm.delete(vm.id);
  }

  /** Forgets every mount. */
  clear(): void {
    this.#byVm.clear();
    this.#byFilesystem.clear();
  }
}
