import { type ArkerClient, type CallOptions, INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import {
  badRequest,
  optionKeys,
  rejectUnknownOptions,
  validatePath,
} from "@arker-ai/core/internal";
import type { WriteChunkEntry } from "@arker-ai/core/wire";
import { encodeBase64 } from "../support/byte-encoding";
import { type FileData, toBytes } from "../support/file-data";
import { sha256Hex } from "../support/sha256";
import { newUploadId } from "../support/upload-id";
import { expectWritten, sendWrites, type TransferProgress, writeFile } from "./files";

/**
 * `vm.writeFiles`: many files in as few calls as the limits allow. Small files travel
 * inline, several per call; each large one goes through its own signed URL.
 *
 * @module
 */

/** One file of {@link Vm.writeFiles}. */
export interface FileToWrite {
  /** Where, inside the VM: an absolute path without `..`. */
  path: string;
  /** The content: a string (UTF-8), bytes, a Blob or a stream. */
  data: FileData;
}

/** Options of {@link Vm.writeFiles}. Each file is idempotent on its own upload id. */
export interface WriteFilesOptions extends Omit<CallOptions, "idempotencyKey"> {
  /** Called as the batch progresses: bytes of every file together. */
  onProgress?: (progress: TransferProgress) => void;
}

const WRITE_FILES_KEYS = optionKeys<WriteFilesOptions>({
  onProgress: true,
  signal: true,
  timeoutMs: true,
});

/**
 * The most file bytes one batched call carries: the size one inline write already may
 * have, so a batch never sends a larger body than a single inline file does.
 */
export const BATCH_BYTES = INLINE_FILE_LIMIT_BYTES;

/** The most files one batched call carries, which keeps each answer small. */
export const BATCH_FILES = 1000;

interface Pending {
  entries: WriteChunkEntry[];
  bytes: number;
}

/**
 * Writes every file, in order. All paths are checked before anything is sent (two
 * entries for one path are a `bad_request`: which would win is unclear). A failure
 * names the file; the files of earlier calls stay written.
 */
export async function writeFiles(
  client: ArkerClient,
  vmId: string,
  files: readonly FileToWrite[],
  options: WriteFilesOptions = {},
): Promise<void> {
  rejectUnknownOptions(options, WRITE_FILES_KEYS, "writeFiles");
  if (!Array.isArray(files)) throw badRequest("writeFiles needs an array of { path, data }");
  const seen = new Set<string>();
  for (const [index, file] of files.entries()) {
    if (typeof file !== "object" || file === null) {
      throw badRequest(`writeFiles: entry ${index} must be an object { path, data }`);
    }
    validatePath(file.path, `files[${index}].path`);
    if (file.data === undefined || file.data === null) {
      throw badRequest(`writeFiles: files[${index}].data is missing (${file.path})`);
    }
    if (seen.has(file.path)) throw badRequest(`writeFiles: ${file.path} appears twice`);
    seen.add(file.path);
  }

  const controls: CallOptions = {};
  if (options.signal !== undefined) controls.signal = options.signal;
  if (options.timeoutMs !== undefined) controls.timeoutMs = options.timeoutMs;
  // Strings and bytes are used as they are (no copy); streams and Blobs are read here,
  // so the batch's total is known before the first call.
  const contents: Uint8Array[] = [];
  for (const file of files) contents.push(await toBytes(file.data, options.signal));
  const total = contents.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  let done = 0;
  const report = (transferred: number) => {
    done = transferred;
    options.onProgress?.({ transferredBytes: done, totalBytes: total });
  };
  let pending: Pending = { entries: [], bytes: 0 };
  const flush = async () => {
    if (pending.entries.length === 0) return;
    const batch = pending;
    pending = { entries: [], bytes: 0 };
    const { results, requestId } = await sendWrites(client, vmId, batch.entries, controls);
    results.forEach((result, index) => {
      expectWritten(result, (batch.entries[index] as WriteChunkEntry).path, requestId);
    });
    report(done + batch.bytes);
  };

  for (const [index, file] of files.entries()) {
    const bytes = contents[index] as Uint8Array;
    if (bytes.byteLength > INLINE_FILE_LIMIT_BYTES) {
      await flush();
      const before = done;
      await writeFile(client, vmId, file.path, bytes, {
        ...controls,
        onProgress: ({ transferredBytes }) => report(before + transferredBytes),
      });
      continue;
    }
    if (
      pending.bytes + bytes.byteLength > BATCH_BYTES ||
      pending.entries.length + 1 > BATCH_FILES
    ) {
      await flush();
    }
    pending.entries.push({
      path: file.path,
      size: bytes.byteLength,
      upload_id: newUploadId(),
      content: encodeBase64(bytes),
      start: 0,
      end: bytes.byteLength,
      sha256: await sha256Hex(bytes),
    });
    pending.bytes += bytes.byteLength;
  }
  await flush();
}
