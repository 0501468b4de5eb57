import {
  type ByteString,
  type CpOptions,
  type FsStat,
  type IFileSystem,
  type MkdirOptions,
  type RmOptions,
  unsafeBytesFromLatin1,
} from "just-bash";
import { PULSE_PATH, pulse } from "../support/event-loop-pulse.js";
import {
  type CowTree,
  directoryNode,
  fileNode,
  nodeBytes,
  segmentsOf,
  symlinkNode,
  type TreeNode,
  withMetadata,
} from "./cow-tree.js";
import { isSameOrBelow, normalSegments, parentOf, resolvePath } from "./paths.js";

/**
 * just-bash's filesystem interface over a VM's copy-on-write tree plus its live mounts:
 * a path below a mount path lives in the mounted filesystem's tree, shared with every
 * VM that mounts it.
 *
 * @module
 */

/** A mount as the adapter sees it. */
export interface MountView {
  /** Normalised absolute mount path. */
  path: string;
  tree: CowTree;
}

/** A directory entry with its type (just-bash does not export this type). */
interface DirentEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

type Encoding = "utf8" | "utf-8" | "ascii" | "binary" | "base64" | "hex" | "latin1";

const MAX_SYMLINK_HOPS = 40;
const NULL_DEVICE = "/dev/null";
const utf8Decoder = new TextDecoder("utf-8");
const utf8Encoder = new TextEncoder();

function fsError(code: string, description: string, operation: string, path: string): Error {
  const error = new Error(`${code}: ${description}, ${operation} '${path}'`) as Error & {
    code: string;
  };
  error.code = code;
  return error;
}

function encodingOf(
  options: { encoding?: Encoding | null } | Encoding | undefined | null,
): Encoding | null {
  if (options === undefined || options === null) return "utf8";
  if (typeof options === "string") return options;
  return options.encoding === undefined ? "utf8" : options.encoding;
}

function decode(bytes: Uint8Array, encoding: Encoding | null): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (encoding) {
    case "binary":
    case "latin1":
      return buffer.toString("latin1");
    case "base64":
      return buffer.toString("base64");
    case "hex":
      return buffer.toString("hex");
    case "ascii":
      return buffer.toString("ascii");
    default:
      return utf8Decoder.decode(bytes);
  }
}

function encode(content: string | Uint8Array, encoding: Encoding | null): Uint8Array {
  if (typeof content !== "string") return new Uint8Array(content);
  switch (encoding) {
    case "binary":
    case "latin1":
    case "base64":
    case "hex":
    case "ascii":
      return new Uint8Array(Buffer.from(content, encoding));
    default:
      return utf8Encoder.encode(content);
  }
}

/** How many bytes of each growable buffer are taken (see {@link appended}). */
const usedBytes = new WeakMap<ArrayBufferLike, number>();
const MAX_SPARE_BYTES = 64 * 1024 * 1024;

/**
 * `previous` followed by `addition`, without copying `previous` when it can: a shell
 * redirection appends its output chunk by chunk, and copying the whole file on each
 * chunk made that quadratic. An appended file lives in a buffer with spare room (up
 * to its size again, at most 64 MiB); the next append writes into that room when
 * `previous` ends exactly where the buffer's used bytes end — so a node that another
 * fork or an older version still holds is never written over: a second append to the
 * same old node finds the room taken and copies.
 */
function appended(previous: Uint8Array, addition: Uint8Array): Uint8Array {
  const end = previous.byteOffset + previous.byteLength;
  const size = previous.byteLength + addition.byteLength;
  const buffer = previous.buffer;
  if (usedBytes.get(buffer) === end && end + addition.byteLength <= buffer.byteLength) {
    new Uint8Array(buffer, end, addition.byteLength).set(addition);
    usedBytes.set(buffer, end + addition.byteLength);
    return new Uint8Array(buffer, previous.byteOffset, size);
  }
  const room = new ArrayBuffer(size + Math.min(size, MAX_SPARE_BYTES));
  const out = new Uint8Array(room, 0, size);
  out.set(previous, 0);
  out.set(addition, previous.byteLength);
  usedBytes.set(room, size);
  return out;
}

function statOf(node: TreeNode): FsStat {
  return {
    isFile: node.kind === "file",
    isDirectory: node.kind === "directory",
    isSymbolicLink: node.kind === "symlink",
    mode: node.mode,
    size:
      node.kind === "file"
        ? node.content.byteLength
        : node.kind === "symlink"
          ? node.target.length
          : 4096,
    mtime: new Date(node.mtime),
  };
}

/** just-bash `IFileSystem` over a VM tree and its mounts. */
export class VmFileSystem implements IFileSystem {
  readonly #tree: CowTree;
  readonly #mounts: () => readonly MountView[];
  readonly #now: () => number;
  readonly #maxBytes: number;

  /**
   * Creates the adapter; `mounts` is read on every call so mounts are live. `maxBytes`
   * caps the file content of each tree (the VM's, each mounted one): a write past it
   * fails with `ENOSPC`.
   */
  constructor(
    tree: CowTree,
    mounts: () => readonly MountView[],
    now: () => number,
    maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.#tree = tree;
    this.#mounts = mounts;
    this.#now = now;
    this.#maxBytes = maxBytes;
  }

  /** The tree and tree-relative segments that hold `path` (normalised, no symlinks). */
  #locate(
    path: string,
    mounts: readonly MountView[] = this.#mounts(),
  ): { tree: CowTree; segments: string[] } {
    let best: MountView | undefined;
    for (const mount of mounts) {
      if (
        isSameOrBelow(mount.path, path) &&
        (best === undefined || mount.path.length > best.path.length)
      ) {
        best = mount;
      }
    }
    if (best === undefined) return { tree: this.#tree, segments: segmentsOf(path) };
    return { tree: best.tree, segments: segmentsOf(path.slice(best.path.length)) };
  }

  #rawGet(path: string): TreeNode | undefined {
    const { tree, segments } = this.#locate(path);
    return tree.get(segments);
  }

  /**
   * Resolves symlinks in the directories of `path` (and in its last segment if asked):
   * the real path and the node there. One walk from the root, each step one lookup in
   * the directory reached so far (or the root of a filesystem mounted at that path):
   * looking every prefix up from the root again made a deep path cost its depth squared.
   */
  #get(
    path: string,
    followLast: boolean,
    operation: string,
  ): { path: string; node: TreeNode | undefined } {
    const mounts = this.#mounts();
    let remaining = normalSegments(path);
    let real = "/";
    let node: TreeNode | undefined = this.#rootAt(real, mounts);
    let hops = 0;
    for (let index = 0; index < remaining.length; index++) {
      const segment = remaining[index]!;
      const parent: TreeNode | undefined = node;
      const parentPath = real;
      real = real === "/" ? `/${segment}` : `${real}/${segment}`;
      node =
        this.#mountRootAt(real, mounts) ??
        (parent?.kind === "directory" ? parent.entries.get(segment) : undefined);
      if (node?.kind === "symlink" && (index < remaining.length - 1 || followLast)) {
        hops++;
        if (hops > MAX_SYMLINK_HOPS)
          throw fsError("ELOOP", "too many levels of symbolic links", operation, path);
        remaining = [
          ...normalSegments(resolvePath(parentPath, node.target)),
          ...remaining.slice(index + 1),
        ];
        index = -1;
        real = "/";
        node = this.#rootAt(real, mounts);
      }
    }
    return { path: real, node };
  }

  /** The root of the tree seen at `path`: a filesystem mounted there, else the VM's. */
  #rootAt(path: string, mounts: readonly MountView[]): TreeNode {
    return this.#mountRootAt(path, mounts) ?? this.#tree.root;
  }

  #mountRootAt(path: string, mounts: readonly MountView[]): TreeNode | undefined {
    for (const mount of mounts) if (mount.path === path) return mount.tree.root;
    return undefined;
  }

  /** The real path of `path` (see {@link #get}). */
  #resolve(path: string, followLast: boolean, operation: string): string {
    return this.#get(path, followLast, operation).path;
  }

  /** Stores a node; `freed` is what the same operation removes from the same tree (mv). */
  #put(path: string, node: TreeNode, operation: string, createParents = false, freed = 0): void {
    const mounts = this.#mounts();
    for (const mount of mounts) {
      if (mount.path === path) throw fsError("EBUSY", "resource busy or locked", operation, path);
    }
    const { tree, segments } = this.#locate(path, mounts);
    const growth = nodeBytes(node) - nodeBytes(tree.get(segments)) - freed;
    if (growth > 0 && tree.bytes + growth > this.#maxBytes) {
      throw fsError("ENOSPC", "no space left on device", operation, path);
    }
    if (!tree.set(segments, node, createParents, this.#now())) {
      const parent = this.#rawGet(parentOf(path));
      if (parent !== undefined && parent.kind !== "directory") {
        throw fsError("ENOTDIR", "not a directory", operation, path);
      }
      throw fsError("ENOENT", "no such file or directory", operation, path);
    }
  }

  #remove(path: string): void {
    const { tree, segments } = this.#locate(path);
    tree.delete(segments, this.#now());
  }

  #fileBytes(path: string, operation: string): Uint8Array {
    const { node } = this.#get(path, true, operation);
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "open", path);
    if (node.kind === "directory")
      throw fsError("EISDIR", "illegal operation on a directory", "read", path);
    if (node.kind !== "file") throw fsError("ENOENT", "no such file or directory", "open", path);
    return node.content;
  }

  async readFile(
    path: string,
    options?: { encoding?: Encoding | null } | Encoding,
  ): Promise<string> {
    return decode(this.#fileBytes(path, "open"), encodingOf(options));
  }

  /**
   * A file as just-bash's byte string (one latin1 char per byte), converted natively:
   * without this method just-bash converts `readFileBuffer`'s bytes itself, about 0.5 s
   * per MB (a 60 MB `cat` took half a minute).
   */
  async readFileBytes(path: string): Promise<ByteString> {
    const bytes = this.#fileBytes(path, "open");
    return unsafeBytesFromLatin1(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"),
    );
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    return this.#fileBytes(path, "open");
  }

  async writeFile(
    path: string,
    content: string | Uint8Array,
    options?: { encoding?: Encoding } | Encoding,
  ): Promise<void> {
    const writable = this.#writableTarget(path);
    if (writable === undefined) return;
    const { target, existing } = writable;
    this.#put(
      target,
      fileNode(encode(content, encodingOf(options)), this.#now(), existing?.mode ?? 0o644),
      "open",
    );
  }

  /** Where a write to `path` lands and what is there now; `undefined` for /dev/null. */
  #writableTarget(path: string) {
    const { path: target, node: existing } = this.#get(path, true, "open");
    if (target === NULL_DEVICE) return undefined;
    if (existing?.kind === "directory")
      throw fsError("EISDIR", "illegal operation on a directory", "open", path);
    return { target, existing };
  }

  async appendFile(
    path: string,
    content: string | Uint8Array,
    options?: { encoding?: Encoding } | Encoding,
  ): Promise<void> {
    const writable = this.#writableTarget(path);
    if (writable === undefined) return;
    const { target, existing } = writable;
    const addition = encode(content, encodingOf(options));
    const previous = existing?.kind === "file" ? existing.content : new Uint8Array(0);
    const grown = previous.byteLength + addition.byteLength;
    if (grown > this.#maxBytes) throw fsError("ENOSPC", "no space left on device", "open", path);
    this.#put(
      target,
      fileNode(appended(previous, addition), this.#now(), existing?.mode ?? 0o644),
      "open",
    );
  }

  async exists(path: string): Promise<boolean> {
    if (path === PULSE_PATH) return pulse();
    try {
      return this.#get(path, true, "access").node !== undefined;
    } catch {
      return false;
    }
  }

  async stat(path: string): Promise<FsStat> {
    const { node } = this.#get(path, true, "stat");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "stat", path);
    return statOf(node);
  }

  async lstat(path: string): Promise<FsStat> {
    const { node } = this.#get(path, false, "lstat");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "lstat", path);
    return statOf(node);
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    const { path: target, node: existing } = this.#get(path, true, "mkdir");
    if (existing !== undefined) {
      if (options?.recursive && existing.kind === "directory") return;
      throw fsError("EEXIST", "file already exists", "mkdir", path);
    }
    if (options?.recursive) {
      const parent = parentOf(target);
      if (parent !== target) await this.mkdir(parent, { recursive: true });
    }
    this.#put(target, directoryNode(this.#now()), "mkdir");
  }

  #directory(path: string): { path: string; entries: Array<[string, TreeNode]> } {
    const { path: real, node } = this.#get(path, true, "scandir");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "scandir", path);
    if (node.kind !== "directory") throw fsError("ENOTDIR", "not a directory", "scandir", path);
    const entries = [...node.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { path: real, entries };
  }

  async readdir(path: string): Promise<string[]> {
    return this.#directory(path).entries.map(([name]) => name);
  }

  async readdirWithFileTypes(path: string): Promise<DirentEntry[]> {
    return this.#directory(path).entries.map(([name, node]) => ({
      name,
      isFile: node.kind === "file",
      isDirectory: node.kind === "directory",
      isSymbolicLink: node.kind === "symlink",
    }));
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const { path: real, node } = this.#get(path, false, "rm");
    if (node === undefined) {
      if (options?.force) return;
      throw fsError("ENOENT", "no such file or directory", "rm", path);
    }
    if (node.kind === "directory" && node.entries.size > 0 && !options?.recursive) {
      throw fsError("ENOTEMPTY", "directory not empty", "rm", path);
    }
    if (real === "/") throw fsError("EPERM", "operation not permitted", "rm", path);
    this.#remove(real);
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    const { path: from, node } = this.#get(src, true, "cp");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "cp", src);
    if (node.kind === "directory" && !options?.recursive)
      throw fsError("EISDIR", "is a directory", "cp", src);
    const to = this.#resolve(dest, true, "cp");
    if (isSameOrBelow(from, to) && node.kind === "directory") {
      throw fsError("EINVAL", `cannot copy '${src}' into itself`, "cp", dest);
    }
    // Copying shares the (immutable) node: O(1) whatever the size of the subtree.
    this.#put(to, node, "cp");
  }

  async mv(src: string, dest: string): Promise<void> {
    const { path: from, node } = this.#get(src, false, "mv");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "mv", src);
    const to = this.#resolve(dest, true, "mv");
    if (to === from) return;
    if (node.kind === "directory" && isSameOrBelow(from, to)) {
      throw fsError("EINVAL", `cannot move '${src}' into itself`, "mv", dest);
    }
    const sameTree = this.#locate(from).tree === this.#locate(to).tree;
    this.#put(to, node, "mv", false, sameTree ? nodeBytes(node) : 0);
    this.#remove(from);
  }

  resolvePath(base: string, path: string): string {
    return resolvePath(base, path);
  }

  getAllPaths(): string[] {
    const paths: string[] = [];
    const walk = (path: string): void => {
      paths.push(path);
      const node = this.#rawGet(path);
      if (node?.kind !== "directory") return;
      for (const name of node.entries.keys()) walk(path === "/" ? `/${name}` : `${path}/${name}`);
    };
    walk("/");
    return paths;
  }

  async chmod(path: string, mode: number): Promise<void> {
    const { path: real, node } = this.#get(path, true, "chmod");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "chmod", path);
    if (real === "/") return;
    this.#put(real, withMetadata(node, mode, node.mtime), "chmod");
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    const { path: at, node: existing } = this.#get(linkPath, false, "symlink");
    if (existing !== undefined) throw fsError("EEXIST", "file already exists", "symlink", linkPath);
    this.#put(at, symlinkNode(target, this.#now()), "symlink");
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    const { node } = this.#get(existingPath, true, "link");
    if (node === undefined)
      throw fsError("ENOENT", "no such file or directory", "link", existingPath);
    if (node.kind === "directory")
      throw fsError("EPERM", "operation not permitted", "link", existingPath);
    const { path: at, node: existing } = this.#get(newPath, false, "link");
    if (existing !== undefined) throw fsError("EEXIST", "file already exists", "link", newPath);
    this.#put(at, node, "link");
  }

  async readlink(path: string): Promise<string> {
    const { node } = this.#get(path, false, "readlink");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "readlink", path);
    if (node.kind !== "symlink") throw fsError("EINVAL", "invalid argument", "readlink", path);
    return node.target;
  }

  async realpath(path: string): Promise<string> {
    const { path: real, node } = this.#get(path, true, "realpath");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "realpath", path);
    return real;
  }

  async utimes(path: string, _atime: Date, mtime: Date): Promise<void> {
    const { path: real, node } = this.#get(path, true, "utimes");
    if (node === undefined) throw fsError("ENOENT", "no such file or directory", "utimes", path);
    if (real === "/") return;
    this.#put(real, withMetadata(node, node.mode, mtime.getTime()), "utimes");
  }

  // Helpers for the engine (sync route and stub handlers), outside just-bash's interface.

  /** The file bytes at `path` following symlinks, or `undefined` (directories included). */
  readBytes(path: string): Uint8Array | undefined {
    try {
      const { node } = this.#get(path, true, "open");
      return node?.kind === "file" ? node.content : undefined;
    } catch {
      return undefined;
    }
  }

  /** The node kind at `path` following symlinks. */
  kindOf(path: string): TreeNode["kind"] | undefined {
    try {
      return this.#get(path, true, "stat").node?.kind;
    } catch {
      return undefined;
    }
  }

  /**
   * The node kind at `path` itself (a symlink there is not followed), or `undefined` when
   * nothing is there: `lstat` without building an error for a new path, which an archive
   * of a thousand new files would otherwise do a thousand times. Throws like `lstat`
   * when a directory on the way is missing.
   */
  linkKindOf(path: string): TreeNode["kind"] | undefined {
    return this.#get(path, false, "lstat").node?.kind;
  }

  /**
   * Stores `content` at `path` (creating parents), with `mode` if given, else the mode of
   * the file it replaces (0o644 for a new one); throws an fs error when impossible.
   */
  storeFile(path: string, content: Uint8Array, mode?: number): void {
    const { path: target, node: existing } = this.#get(path, true, "open");
    if (existing?.kind === "directory")
      throw fsError("EISDIR", "illegal operation on a directory", "open", path);
    const fileMode = mode ?? existing?.mode ?? 0o644;
    this.#put(target, fileNode(content, this.#now(), fileMode), "open", true);
  }

  /** Whether a file of `size` bytes at `path` fits the byte cap of the tree holding it. */
  roomFor(path: string, size: number): boolean {
    try {
      const { path: target, node } = this.#get(path, true, "open");
      return this.#locate(target).tree.bytes - nodeBytes(node) + size <= this.#maxBytes;
    } catch {
      return true;
    }
  }

  /** Creates `path` and its parents as directories if missing (mount points). */
  ensureDirectory(path: string): void {
    const node = this.#tree.get(segmentsOf(path));
    if (node?.kind === "directory") return;
    this.#tree.set(segmentsOf(path), directoryNode(this.#now()), true, this.#now());
  }

  /** The entry names of a directory, or `undefined` if it is not one. */
  list(path: string): string[] | undefined {
    try {
      return this.#directory(path).entries.map(([name]) => name);
    } catch {
      return undefined;
    }
  }
}
