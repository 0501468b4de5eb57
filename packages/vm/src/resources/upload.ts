import type { Stats } from "node:fs";
import { basename, join } from "node:path";
import type { ArkerClient, CallOptions } from "@arker-ai/core";
import {
  badRequest,
  callControls,
  malformedResponse,
  objectDecoder,
  optionKeys,
  rejectUnknownOptions,
  validatePath,
} from "@arker-ai/core/internal";
import type { SyncStreamResponse } from "@arker-ai/core/wire";
import { localFailure, localFs, localFsSync } from "../support/local-fs";
import { forEachInSlices, SMALL_LOCAL_FILE_BYTES } from "../support/parallel";
import { sha256Hex } from "../support/sha256";
import { TarWriter } from "../support/tar";
import type { TransferProgress } from "./files";

/**
 * `vm.upload`: a local file or folder into a VM in one archive, through the
 * `sync-stream` route (the service extracts it). Node only: it reads the local disk.
 *
 * @module
 */

/** Options of {@link Vm.upload} and {@link Vm.download}. */
export interface TreeTransferOptions extends Omit<CallOptions, "idempotencyKey"> {
  /** Called as the archive's bytes move (or the file's, for a single-file download). */
  onProgress?: (progress: TransferProgress) => void;
}

/** What {@link Vm.upload} and {@link Vm.download} report. */
export interface TreeTransferResult {
  /** `file` or `directory`: what the source was. */
  kind: "file" | "directory";
  /** Files, directories and links moved. */
  entries: number;
  /** Bytes of file content moved. */
  bytes: number;
}

/** The keys of {@link TreeTransferOptions}. */
export const TREE_TRANSFER_KEYS = optionKeys<TreeTransferOptions>({
  onProgress: true,
  signal: true,
  timeoutMs: true,
});

const decodeExtracted = objectDecoder<SyncStreamResponse>("sync-stream", {
  ok: "boolean",
  op: "string",
  path: "string",
  size: "number",
  complete: "boolean",
  extracted: "number",
});

/**
 * Uploads `localPath` to `remotePath`: a file becomes that file; a folder's contents
 * become that folder's (created if missing). Modes (executable bits) are kept; symlinks
 * inside the folder stay symlinks, and one pointing outside it is a `bad_request`.
 */
export async function upload(
  client: ArkerClient,
  vmId: string,
  localPath: string,
  remotePath: string,
  options: TreeTransferOptions = {},
): Promise<TreeTransferResult> {
  rejectUnknownOptions(options, TREE_TRANSFER_KEYS, "upload");
  validatePath(remotePath, "remotePath");
  if (typeof localPath !== "string" || localPath === "") {
    throw badRequest("localPath must be a non-empty string");
  }
  const source = await localStat(localPath);
  const tar = new TarWriter();
  let target: string;
  let bytes = 0;
  let entries = 0;
  let archive: Uint8Array;
  try {
    if (source.isDirectory()) {
      target = remotePath;
      ({ bytes, entries } = await addTree(tar, localPath, ""));
    } else if (source.isFile()) {
      const slash = remotePath.replace(/\/+$/, "").lastIndexOf("/");
      const name = remotePath.replace(/\/+$/, "").slice(slash + 1);
      if (name === "") throw badRequest("remotePath of a file must name the file, not /");
      target = slash <= 0 ? "/" : remotePath.slice(0, slash);
      addFile(tar, await localFsSync(), localPath, name, source.mode, source.size);
      bytes = source.size;
      entries = 1;
    } else {
      throw badRequest(`localPath is neither a file nor a folder: ${localPath}`);
    }
    // Every local read happens here, before anything is sent.
    archive = await tar.write();
  } catch (error) {
    throw localFailure(error, "upload");
  }
  const sha256 = await sha256Hex(archive);
  const { data, requestId } = await client.call(
    "syncStream",
    {
      params: { vm_id: vmId },
      query: { path: target, size: archive.byteLength, sha256, extract: "tar" },
      body: archive,
      ...(options.onProgress
        ? {
            onBodyProgress: (sent: number, total: number) =>
              options.onProgress?.({ transferredBytes: sent, totalBytes: total }),
          }
        : {}),
    },
    callControls(options),
  );
  const answer = decodeExtracted(data, requestId);
  if (answer.complete !== true) {
    throw malformedResponse(`extraction into ${target} did not complete`, requestId);
  }
  return { kind: source.isDirectory() ? "directory" : "file", entries, bytes };
}

async function localStat(path: string) {
  const { stat } = await localFs();
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw badRequest(`cannot read ${path}: ${code ?? String(error)}`);
  }
}

function addFile(
  tar: TarWriter,
  fs: typeof import("node:fs"),
  path: string,
  name: string,
  mode: number,
  size: number,
): void {
  const entry = { kind: "file", name, mode: mode & 0o7777, size } as const;
  if (size <= SMALL_LOCAL_FILE_BYTES) {
    tar.add(entry, { sync: (into) => readSmallFile(fs, path, into) });
    return;
  }
  tar.add(entry, async (into) => {
    const { open } = await localFs();
    const handle = await open(path, "r");
    try {
      let filled = 0;
      while (filled < into.byteLength) {
        const { bytesRead } = await handle.read(into, filled, into.byteLength - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      expectFilled(path, filled, into);
    } finally {
      await handle.close();
    }
  });
}

/** Reads a small file whole into `into`, with synchronous calls (see `forEachInSlices`). */
function readSmallFile(fs: typeof import("node:fs"), path: string, into: Uint8Array): void {
  const bytes = fs.readFileSync(path);
  expectFilled(path, bytes.byteLength, into);
  into.set(bytes);
}

function expectFilled(path: string, filled: number, into: Uint8Array): void {
  if (filled !== into.byteLength) {
    throw badRequest(`${path} changed while it was being read`);
  }
}

/** Adds a folder's contents (sorted, so archives are reproducible) below `prefix`. */
async function addTree(
  tar: TarWriter,
  folder: string,
  prefix: string,
): Promise<{ bytes: number; entries: number }> {
  const { readdir, readlink } = await localFs();
  const fs = await localFsSync();
  let bytes = 0;
  let entries = 0;
  const names = (await readdir(folder)).sort();
  const infos: Stats[] = [];
  await forEachInSlices(names, (name, index) => {
    infos[index] = fs.lstatSync(join(folder, name));
  });
  for (const [index, name] of names.entries()) {
    const path = join(folder, name);
    const relative = prefix === "" ? name : `${prefix}/${name}`;
    const info = infos[index] as Stats;
    if (info.isDirectory()) {
      tar.add({ kind: "directory", name: relative, mode: info.mode & 0o7777 });
      const inner = await addTree(tar, path, relative);
      bytes += inner.bytes;
      entries += inner.entries + 1;
    } else if (info.isFile()) {
      addFile(tar, fs, path, relative, info.mode, info.size);
      bytes += info.size;
      entries += 1;
    } else if (info.isSymbolicLink()) {
      const target = await readlink(path);
      if (target.startsWith("/") || climbsOut(prefix, target)) {
        throw badRequest(
          `${path} is a symlink to ${target}, outside the folder being uploaded; nothing was sent`,
        );
      }
      tar.add({ kind: "symlink", name: relative, target });
      entries += 1;
    }
    // Sockets, FIFOs and devices are not files to copy.
  }
  return { bytes, entries };
}

/** Whether a relative link `target` in directory `from` (inside the tree) leaves the tree. */
export function climbsOut(from: string, target: string): boolean {
  const stack = from === "" ? [] : from.split("/");
  for (const segment of target.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") stack.push(segment);
    else if (stack.pop() === undefined) return true;
  }
  return false;
}

/** The last segment of a VM path. */
export function remoteBaseName(path: string): string {
  return basename(path.replace(/\/+$/, "")) || "/";
}
