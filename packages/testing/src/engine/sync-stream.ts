import { createHash } from "node:crypto";
import type { SyncStreamResponse } from "@arker-ai/core/wire";
import { type ArchiveEntry, type ArchiveFormat, readArchive } from "../files/archive.js";
import { isSameOrBelow, normalizePath, validateApiPath } from "../files/paths.js";
import type { VmFileSystem } from "../files/vm-filesystem.js";
import { ApiError, badRequest } from "../support/errors.js";

/**
 * `POST /v1/vms/{id}/sync-stream`: a tar or tar.gz archive extracted into a directory
 * of a VM. The archive is read and checked whole before the first byte is written, so
 * a refused archive (zip-slip, a bad size or SHA-256, no room, an entry that cannot take
 * its place) leaves the VM unchanged.
 *
 * @module
 */

/** What the route reads from its query. */
export interface SyncStreamInput {
  path: string | undefined;
  size: string | undefined;
  sha256: string | undefined;
  extract: ArchiveFormat | undefined;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** Checks the query and body, then extracts; answers the route's response. */
export async function extractStream(
  files: VmFileSystem,
  maxVmBytes: number,
  input: SyncStreamInput,
  body: Uint8Array | null,
): Promise<SyncStreamResponse> {
  const path = validateApiPath(input.path);
  if (input.extract === undefined) throw badRequest('extract must be "tar" or "tar.gz"');
  if (input.size === undefined || !/^\d+$/.test(input.size)) {
    throw badRequest("size must be the archive's length in bytes");
  }
  const bytes = body ?? new Uint8Array();
  const size = Number(input.size);
  if (size !== bytes.byteLength) {
    throw badRequest(`size is ${size} but the body has ${bytes.byteLength} bytes`);
  }
  if (input.sha256 !== undefined) {
    if (!SHA256_HEX.test(input.sha256)) throw badRequest("sha256 must be 64 hex characters");
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== input.sha256.toLowerCase()) {
      throw badRequest("sha256 does not match the archive; nothing was written");
    }
  }
  const entries = await readArchive(bytes, input.extract, maxVmBytes);
  if (files.kindOf(path) === "file") throw badRequest(`path is a file: ${path}`);
  await checkPlaces(files, path, entries);
  const total = entries.reduce((sum, e) => sum + (e.kind === "file" ? e.content.byteLength : 0), 0);
  if (!files.roomFor(`${path === "/" ? "" : path}/\u0000archive`, total)) {
    throw new ApiError(
      "payload_too_large",
      `cannot extract ${total} bytes into ${path}: the VM would hold more than ${maxVmBytes} bytes of files`,
    );
  }
  await files.mkdir(path, { recursive: true });
  const folders = new Set([normalizePath(path)]);
  for (const entry of entries) await apply(files, path, entry, folders);
  return { ok: true, op: "extract_stream", path, size, complete: true, extracted: entries.length };
}

const join = (directory: string, name: string) =>
  directory === "/" ? `/${name}` : `${directory}/${name}`;

/**
 * What an entry would meet at its place or on its way, refused before the first write
 * (GNU tar stops at such an entry with the ones before it written): a link already in
 * the VM on the way that leads outside the directory (`target/link -> /etc`, refused like
 * an archive's own escaping link), a folder over a file, any entry below a file, a file
 * or link over a folder that is not empty, and a folder through a link that leads nowhere
 * (it would be made wherever the link points). A file or link over an empty folder
 * replaces it, as GNU tar does. The archive's own earlier entries count as what is there.
 */
async function checkPlaces(
  files: VmFileSystem,
  root: string,
  entries: readonly ArchiveEntry[],
): Promise<void> {
  const realRoot = (await files.exists(root)) ? await files.realpath(root) : root;
  /** What the archive puts where, so far: a folder or not. */
  const placed = new Map<string, boolean>();
  /** Folders with an entry of the archive below them (each checked once). */
  const filled = new Set<string>();
  const leadsOutside = async (at: string): Promise<boolean> =>
    (await files.exists(at)) && !isSameOrBelow(realRoot, normalizePath(await files.realpath(at)));
  /** Why a folder cannot be at `at` (or be made there), if it cannot. */
  const notFolder = (at: string): string | undefined => {
    const archived = placed.get(at);
    if (archived !== undefined) return archived ? undefined : `${at} is a file`;
    const kind = files.linkKindOf(at);
    if (kind === undefined || kind === "directory") return undefined;
    if (kind !== "symlink") return `${at} is a file`;
    const target = files.kindOf(at);
    if (target === "directory") return undefined;
    return target === undefined ? `${at} is a link to nothing` : `${at} is a link to a file`;
  };
  for (const entry of entries) {
    const at = join(root, entry.name);
    const segments = entry.name.split("/");
    for (let depth = 1; depth < segments.length; depth += 1) {
      const ancestor = join(root, segments.slice(0, depth).join("/"));
      if (filled.has(ancestor)) continue;
      if (await leadsOutside(ancestor)) throw refused(entry, `${ancestor} leads outside ${root}`);
      const problem = notFolder(ancestor);
      if (problem !== undefined) throw refused(entry, problem);
      filled.add(ancestor);
    }
    if (entry.kind === "directory") {
      const problem = notFolder(at);
      if (problem !== undefined) throw refused(entry, problem);
    } else if (placed.get(at) ?? files.linkKindOf(at) === "directory") {
      if (filled.has(at) || (files.list(at)?.length ?? 0) > 0)
        throw refused(entry, `${at} is a folder that is not empty`);
    }
    placed.set(at, entry.kind === "directory");
  }
}

function refused(entry: ArchiveEntry, why: string): ApiError {
  return badRequest(
    `archive entry ${JSON.stringify(entry.name)} refused: ${why}; nothing was written`,
  );
}

/**
 * Writes one entry. `folders` holds the directories this extraction made or found (the
 * root first), so that a thousand files in one folder make it once, not a thousand times.
 */
async function apply(
  files: VmFileSystem,
  root: string,
  entry: ArchiveEntry,
  folders: Set<string>,
): Promise<void> {
  const at = join(root, entry.name);
  const parent = at.slice(0, at.lastIndexOf("/")) || "/";
  if (!folders.has(parent)) {
    await files.mkdir(parent, { recursive: true });
    folders.add(parent);
  }
  if (entry.kind === "directory") {
    await files.mkdir(at, { recursive: true });
    await files.chmod(at, entry.mode);
    folders.add(at);
    return;
  }
  folders.delete(at);
  // An entry replaces what is there (an empty folder, checked above); a symlink in its
  // place is not followed.
  const there = files.linkKindOf(at);
  if (there === "symlink" || there === "directory") await files.rm(at, { force: true });
  switch (entry.kind) {
    case "file":
      files.storeFile(at, entry.content, entry.mode);
      return;
    case "symlink":
      await files.rm(at, { force: true });
      await files.symlink(entry.target, at);
      return;
    case "link": {
      const source = join(root, entry.target);
      const content = files.readBytes(source) ?? new Uint8Array();
      files.storeFile(at, content, (await files.stat(source)).mode & 0o7777);
      return;
    }
  }
}
