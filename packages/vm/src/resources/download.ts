import { dirname, join } from "node:path";
import { type ArkerClient, ArkerError } from "@arker-ai/core";
import { badRequest, rejectUnknownOptions, validatePath } from "@arker-ai/core/internal";
import { localFailure, localFs, localFsSync } from "../support/local-fs";
import {
  forEachInSlices,
  forEachLimited,
  LOCAL_FILE_CONCURRENCY,
  SMALL_LOCAL_FILE_BYTES,
} from "../support/parallel";
import { readTar, type TarEntry } from "../support/tar";
import { exec } from "./exec";
import { readFile } from "./files";
import {
  climbsOut,
  remoteBaseName,
  TREE_TRANSFER_KEYS,
  type TreeTransferOptions,
  type TreeTransferResult,
} from "./upload";

/**
 * `vm.download`: a file or a folder of a VM onto the local disk. A folder is packed by
 * `tar` run in the VM into a temporary file, read like any file (inline or through a
 * signed URL), then removed; the archive is checked like an upload before anything is
 * written locally. Node only.
 *
 * @module
 */

/** Single-quotes a value for the VM's shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * Downloads `remotePath` to `localPath`: a file becomes that file; a folder's contents
 * become the local folder's (created if missing). Modes are kept. A missing remote path
 * is `not_found`.
 */
export async function download(
  client: ArkerClient,
  vmId: string,
  remotePath: string,
  localPath: string,
  options: TreeTransferOptions = {},
): Promise<TreeTransferResult> {
  rejectUnknownOptions(options, TREE_TRANSFER_KEYS, "download");
  validatePath(remotePath, "remotePath");
  if (typeof localPath !== "string" || localPath === "") {
    throw badRequest("localPath must be a non-empty string");
  }
  const controls = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const archive = `/tmp/.arker-download-${globalThis.crypto.randomUUID()}.tar`;
  const path = shellQuote(remotePath);
  const probe = await exec(
    client,
    vmId,
    `if [ -d ${path} ]; then tar -cf ${archive} -C ${path} . && echo directory; ` +
      `elif [ -f ${path} ]; then echo "file $(stat -c %a ${path})"; else echo missing; fi`,
    controls,
  );
  const [kind, mode] = probe.stdout.trim().split(" ");
  if (kind === "missing") {
    throw new ArkerError("not_found", `file not found: ${remotePath}`, 404);
  }
  if (kind === "file") {
    const bytes = await readFile(client, vmId, remotePath, { ...controls, ...progress });
    // Into an existing local folder, the file keeps its name (as `cp` does).
    const into = (await isDirectory(localPath))
      ? join(localPath, remoteBaseName(remotePath))
      : localPath;
    await writeLocalFile(into, bytes, Number.parseInt(mode ?? "644", 8)).catch((error) => {
      throw localFailure(error, "download");
    });
    return { kind: "file", entries: 1, bytes: bytes.byteLength };
  }
  // The archive is removed while it is unpacked locally: one round trip less to wait for.
  let removal: Promise<unknown> = Promise.resolve();
  try {
    const tar = await readFile(client, vmId, archive, { ...controls, ...progress }).finally(() => {
      removal = exec(client, vmId, `rm -f ${archive}`, { ...controls, check: false }).catch(
        () => {},
      );
    });
    const entries = readTar(tar);
    checkEntries(entries);
    return await extractLocally(localPath, entries).catch((error) => {
      throw localFailure(error, "download");
    });
  } finally {
    await removal;
  }
}

/** Refuses, before anything is written, an entry that would land outside `localPath`. */
function checkEntries(entries: readonly TarEntry[]): void {
  const symlinks = new Set<string>();
  const refuse = (entry: TarEntry, why: string) =>
    badRequest(`archive entry ${JSON.stringify(entry.name)} refused: ${why}; nothing was written`);
  for (const entry of entries) {
    const segments = entry.name.split("/");
    if (segments.includes("..")) throw refuse(entry, "the name has a '..' segment");
    for (let depth = 1; depth < segments.length; depth += 1) {
      if (symlinks.has(segments.slice(0, depth).join("/"))) {
        throw refuse(entry, "the path goes through a symlink of the archive");
      }
    }
    if (entry.kind === "symlink" || entry.kind === "link") {
      const from = entry.kind === "symlink" ? segments.slice(0, -1).join("/") : "";
      if (entry.target.startsWith("/") || climbsOut(from, entry.target)) {
        throw refuse(entry, "the link points outside the folder");
      }
      if (entry.kind === "symlink") symlinks.add(entry.name);
    }
  }
}

async function extractLocally(
  root: string,
  entries: readonly TarEntry[],
): Promise<TreeTransferResult> {
  const { chmod, mkdir, readFile: readLocalFile, rm, stat, symlink } = await localFs();
  await mkdir(root, { recursive: true });
  const directories: Array<[string, number]> = [];
  const made = new Set<string>([root]);
  const makeDirectory = async (path: string) => {
    if (made.has(path)) return;
    await mkdir(path, { recursive: true });
    made.add(path);
  };
  // Runs of plain files with distinct names are written several at a time; everything
  // else (folders, links, a name written twice) keeps the archive's order.
  let files: Array<{ at: string; entry: TarEntry & { kind: "file" } }> = [];
  const batched = new Set<string>();
  const flush = async () => {
    await writeLocalFiles(files);
    files = [];
    batched.clear();
  };
  let bytes = 0;
  for (const entry of entries) {
    if (entry.name === "") continue;
    const at = join(root, entry.name);
    if (entry.kind === "file" && !batched.has(at)) {
      await makeDirectory(dirname(at));
      files.push({ at, entry });
      batched.add(at);
      bytes += entry.size;
      continue;
    }
    await flush();
    await makeDirectory(dirname(at));
    switch (entry.kind) {
      case "directory":
        await makeDirectory(at);
        directories.push([at, entry.mode]);
        break;
      case "file":
        await writeLocalFile(at, entry.content ?? new Uint8Array(), entry.mode);
        bytes += entry.size;
        break;
      case "symlink":
        await rm(at, { force: true });
        await symlink(entry.target, at);
        break;
      case "link": {
        const source = join(root, entry.target);
        const { mode } = await stat(source);
        await writeLocalFile(at, await readLocalFile(source), mode & 0o7777);
        break;
      }
    }
  }
  await flush();
  // Modes of folders last: a read-only folder would refuse the files written into it.
  for (const [path, mode] of directories.reverse()) await chmod(path, mode);
  const entryCount = entries.filter((entry) => entry.name !== "").length;
  return { kind: "directory", entries: entryCount, bytes };
}

/**
 * Writes files with distinct names: small new ones with synchronous calls in slices (see
 * `forEachInSlices`), the others and any already there through {@link writeLocalFile},
 * several at a time.
 */
async function writeLocalFiles(
  files: ReadonlyArray<{ at: string; entry: TarEntry & { kind: "file" } }>,
): Promise<void> {
  const fs = await localFsSync();
  type Planned = (typeof files)[number];
  const small: Planned[] = [];
  const rest: Planned[] = [];
  for (const file of files) (file.entry.size <= SMALL_LOCAL_FILE_BYTES ? small : rest).push(file);
  await forEachInSlices(small, (file) => {
    if (!createSmallFile(fs, file.at, file.entry.content ?? new Uint8Array(), file.entry.mode)) {
      rest.push(file);
    }
  });
  await forEachLimited(rest, LOCAL_FILE_CONCURRENCY, ({ at, entry }) =>
    writeLocalFile(at, entry.content ?? new Uint8Array(), entry.mode),
  );
}

/**
 * Creates a new small file with its mode, exclusively (never following a symlink);
 * `false`, writing nothing, when something is already there.
 */
function createSmallFile(
  fs: typeof import("node:fs"),
  path: string,
  bytes: Uint8Array,
  mode: number,
): boolean {
  try {
    fs.writeFileSync(path, bytes, { flag: "wx", mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  // Just created, so a regular file: the umask may have narrowed its mode.
  fs.chmodSync(path, mode);
  return true;
}

/** Writes a file with its mode, replacing (never following) a symlink in its place. */
async function writeLocalFile(path: string, bytes: Uint8Array, mode: number): Promise<void> {
  const { chmod, lstat, open, rm, writeFile } = await localFs();
  // A new file (the common case: a fresh folder) is created exclusively, which never
  // follows a symlink: four system calls instead of five (BENCHMARKS.md, row 7).
  const created = await open(path, "wx", mode).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") return null;
    throw error;
  });
  if (created !== null) {
    try {
      await created.writeFile(bytes);
      await created.chmod(mode);
    } finally {
      await created.close();
    }
    return;
  }
  try {
    if ((await lstat(path)).isSymbolicLink()) await rm(path, { force: true });
  } catch {
    // Gone in the meantime.
  }
  await writeFile(path, bytes, { mode });
  await chmod(path, mode);
}

async function isDirectory(path: string): Promise<boolean> {
  const { stat } = await localFs();
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
