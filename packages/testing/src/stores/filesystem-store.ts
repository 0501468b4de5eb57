import { CowTree } from "../files/cow-tree.js";
import { notFound } from "../support/errors.js";
import type { FilesystemRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The persistent filesystems of one fake.
 *
 * @module
 */

/** The filesystems of one fake. */
export class FilesystemStore {
  readonly #context: StoreContext;
  readonly #filesystems = new Map<string, FilesystemRecord>();

  /** Creates an empty store. */
  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** Creates an empty filesystem owned by `orgId`. */
  create(orgId: string, name: string): FilesystemRecord {
    const filesystem: FilesystemRecord = {
      id: this.#context.ids.next("fs"),
      seq: this.#context.sequence.next(),
      name,
      ownerOrgId: orgId,
      createdAt: this.#context.clock.now(),
      tree: new CowTree(undefined, this.#context.clock.now()),
    };
    this.#filesystems.set(filesystem.id, filesystem);
    return filesystem;
  }

  /** The org's filesystem; another org's → 404. */
  owned(orgId: string, filesystemId: string): FilesystemRecord {
    const filesystem = this.#filesystems.get(filesystemId);
    if (filesystem === undefined || filesystem.ownerOrgId !== orgId) {
      throw notFound(`filesystem not found: ${filesystemId}`);
    }
    return filesystem;
  }

  /** The org's newest filesystem of this name, if any. */
  newestNamed(orgId: string, name: string): FilesystemRecord | undefined {
    let newest: FilesystemRecord | undefined;
    for (const filesystem of this.#filesystems.values()) {
      if (filesystem.ownerOrgId !== orgId || filesystem.name !== name) continue;
      if (newest === undefined || filesystem.seq > newest.seq) newest = filesystem;
    }
    return newest;
  }

  /** Every filesystem, oldest first. */
  all(): FilesystemRecord[] {
    return [...this.#filesystems.values()];
  }

  /** Forgets a filesystem. */
  remove(filesystem: FilesystemRecord): void {
    this.#filesystems.delete(filesystem.id);
  }

  /** Forgets every filesystem. */
  clear(): void {
    this.#filesystems.clear();
  }
}
