import { Map as ImmutableMap } from "immutable";

/**
 * A persistent (immutable) file tree with copy-on-write forks.
 *
 * Why a persistent trie of `immutable` Maps rather than a chain of frozen layers: a
 * fork is one pointer copy (the child shares the parent's root), a write copies only
 * the directories on its path (each an O(log32 n) Map update, whatever the directory
 * size), lookups cost the path depth and never the fork depth, and a directory
 * listing is the keys of one Map. A layer chain would make every lookup walk all
 * ancestors and would need compaction as fork generations pile up.
 *
 * Nodes are never mutated after creation; file contents are treated as immutable
 * too, so two trees may share one `Uint8Array` safely.
 *
 * @module
 */

/** A regular file. `content` is shared between forks and must never be mutated. */
export interface FileNode {
  readonly kind: "file";
  readonly content: Uint8Array;
  readonly mode: number;
  readonly mtime: number;
}

/** A directory: an immutable map from entry name to node. */
export interface DirectoryNode {
  readonly kind: "directory";
  readonly entries: ImmutableMap<string, TreeNode>;
  /** Bytes of file content below this directory (kept on every write: O(path depth)). */
  readonly bytes: number;
  readonly mode: number;
  readonly mtime: number;
}

/** A symbolic link. */
export interface SymlinkNode {
  readonly kind: "symlink";
  readonly target: string;
  readonly mode: number;
  readonly mtime: number;
}

/** Any node of the tree. */
export type TreeNode = FileNode | DirectoryNode | SymlinkNode;

let allocatedNodes = 0;

/** How many tree nodes were created in this process; lets tests prove a fork copies nothing. */
export function allocatedNodeCount(): number {
  return allocatedNodes;
}

/** Creates a file node. */
export function fileNode(content: Uint8Array, mtime: number, mode = 0o644): FileNode {
  allocatedNodes++;
  return { kind: "file", content, mode, mtime };
}

/** Bytes of file content in a node (a file's size, the total below a directory). */
export function nodeBytes(node: TreeNode | undefined): number {
  if (node === undefined || node.kind === "symlink") return 0;
  return node.kind === "file" ? node.content.byteLength : node.bytes;
}

/**
 * Creates a directory node. `bytes` is the content below it: computed from `entries`
 * unless given (callers that change one entry pass the updated total).
 */
export function directoryNode(
  mtime: number,
  entries: ImmutableMap<string, TreeNode> = ImmutableMap(),
  mode = 0o755,
  bytes?: number,
): DirectoryNode {
  allocatedNodes++;
  let total = bytes;
  if (total === undefined) {
    total = 0;
    for (const child of entries.values()) total += nodeBytes(child);
  }
  return { kind: "directory", entries, mode, mtime, bytes: total };
}

/** Creates a symlink node. */
export function symlinkNode(target: string, mtime: number): SymlinkNode {
  allocatedNodes++;
  return { kind: "symlink", target, mode: 0o777, mtime };
}

/** Returns a copy of `node` with other metadata (used by chmod/utimes). */
export function withMetadata(node: TreeNode, mode: number, mtime: number): TreeNode {
  allocatedNodes++;
  return { ...node, mode, mtime };
}

/** Splits an absolute, normalised path into its segments (`/` → `[]`). */
export function segmentsOf(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "" && segment !== ".");
}

/**
 * A mutable handle on a persistent tree: the handle's root pointer changes on every
 * write, the nodes never do. `fork()` is O(1) in time and memory.
 */
export class CowTree {
  #root: DirectoryNode;

  /** Creates a tree, empty unless a root is given. */
  constructor(root?: DirectoryNode, mtime = 0) {
    this.#root = root ?? directoryNode(mtime);
  }

  /** The current root; identical between a parent and a child until one of them writes. */
  get root(): DirectoryNode {
    return this.#root;
  }

  /** Bytes of file content in the tree. */
  get bytes(): number {
    return this.#root.bytes;
  }

  /** A copy-on-write child sharing every node with this tree. */
  fork(): CowTree {
    return new CowTree(this.#root);
  }

  /** The node at `segments`, without following symlinks; `undefined` if absent. */
  get(segments: readonly string[]): TreeNode | undefined {
    let node: TreeNode = this.#root;
    for (const segment of segments) {
      if (node.kind !== "directory") return undefined;
      const next: TreeNode | undefined = node.entries.get(segment);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /**
   * Stores `node` at `segments` (not the root), copying the directories on the path.
   * Missing parents are created when `createParents` is set; otherwise, or when a
   * parent is not a directory, nothing changes and `false` is returned.
   */
  set(segments: readonly string[], node: TreeNode, createParents = false, mtime = 0): boolean {
    if (segments.length === 0) return false;
    const updated = setIn(this.#root, segments, 0, node, createParents, mtime);
    if (updated === undefined) return false;
    this.#root = updated;
    return true;
  }

  /** Removes the entry at `segments`; `false` when there was none. */
  delete(segments: readonly string[], mtime = 0): boolean {
    if (segments.length === 0) return false;
    const updated = deleteIn(this.#root, segments, 0, mtime);
    if (updated === undefined) return false;
    this.#root = updated;
    return true;
  }

  /** Replaces the whole content (used by `reset` of a filesystem). */
  replaceRoot(root: DirectoryNode): void {
    this.#root = root;
  }
}

function setIn(
  directory: DirectoryNode,
  segments: readonly string[],
  index: number,
  node: TreeNode,
  createParents: boolean,
  mtime: number,
): DirectoryNode | undefined {
  const name = segments[index]!;
  const existing = directory.entries.get(name);
  if (index === segments.length - 1) {
    const bytes = directory.bytes - nodeBytes(existing) + nodeBytes(node);
    return directoryNode(mtime, directory.entries.set(name, node), directory.mode, bytes);
  }
  let child = existing;
  if (child === undefined) {
    if (!createParents) return undefined;
    child = directoryNode(mtime);
  }
  if (child.kind !== "directory") return undefined;
  const updated = setIn(child, segments, index + 1, node, createParents, mtime);
  if (updated === undefined) return undefined;
  const bytes = directory.bytes - nodeBytes(existing) + updated.bytes;
  return directoryNode(
    directory.mtime,
    directory.entries.set(name, updated),
    directory.mode,
    bytes,
  );
}

function deleteIn(
  directory: DirectoryNode,
  segments: readonly string[],
  index: number,
  mtime: number,
): DirectoryNode | undefined {
  const name = segments[index]!;
  const child = directory.entries.get(name);
  if (child === undefined) return undefined;
  if (index === segments.length - 1) {
    const bytes = directory.bytes - nodeBytes(child);
    return directoryNode(mtime, directory.entries.delete(name), directory.mode, bytes);
  }
  if (child.kind !== "directory") return undefined;
  const updated = deleteIn(child, segments, index + 1, mtime);
  if (updated === undefined) return undefined;
  const bytes = directory.bytes - child.bytes + updated.bytes;
  return directoryNode(
    directory.mtime,
    directory.entries.set(name, updated),
    directory.mode,
    bytes,
  );
}

/** Sums the sizes of every file below `node` (kept on each directory: O(1)). */
export function totalFileBytes(node: TreeNode): number {
  return nodeBytes(node);
}
