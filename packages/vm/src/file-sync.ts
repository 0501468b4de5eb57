import { createHash } from "node:crypto";
import {
  type ArkerClient,
  ArkerError,
  apiPath,
  type CallOptions,
  callControls,
  ERROR_STATUS,
  INLINE_FILE_LIMIT_BYTES,
  isRecord,
  type TransferSpec,
} from "@arker-ai/core";
import type {
  SyncReadRequest,
  SyncWriteRequest,
  WriteEntry,
  WriteResult,
} from "@arker-ai/core/wire";
import { decodeBase64, encodeBase64, encodeUtf8 } from "./byte-encoding";
import { type FileData, toBytes } from "./file-data";
import { newUploadId } from "./upload-id";
import { validatePath } from "./validate-path";
import { describeWireValue } from "./wire-value";

/** How far a file transfer has got. */
export interface TransferProgress {
  /** Bytes moved so far. */
  transferredBytes: number;
  /** The file's size, or `null` when not yet known. */
  totalBytes: number | null;
}

/** Options of a file read. */
export interface ReadFileOptions extends CallOptions {
  /** Called as bytes arrive (once for an inline answer, per chunk for a signed URL). */
  onProgress?: (progress: TransferProgress) => void;
}

/** Options of a file write. */
export interface WriteFileOptions extends CallOptions {
  /** Called as bytes are sent (once for an inline write, per chunk for a signed URL). */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * Reads a file from a VM: the service answers inline (up to 4 MiB) or with a signed URL,
 * which is fetched without the auth header. Always resolves to the file's bytes.
 */
export async function readFile(
  client: ArkerClient,
  vmId: string,
  path: string,
  options: ReadFileOptions = {},
): Promise<Uint8Array> {
  validatePath(path);
  const body: SyncReadRequest = { op: "read", path };
  const { data, requestId } = await client.request<unknown>({
    method: "POST",
    path: apiPath`/v1/vms/${vmId}/sync`,
    body,
    idempotencyKey: false,
    ...callControls(options),
  });
  if (!isRecord(data) || !isByteCount(data.size)) {
    throw malformed("unrecognized read response shape", requestId);
  }
  const size = data.size;
  if (typeof data.content === "string") {
    const bytes = decodeContent(data.content, data.encoding, requestId);
    if (bytes.byteLength !== size) {
      throw malformed(`read returned ${bytes.byteLength} bytes, announced ${size}`, requestId);
    }
    options.onProgress?.({ transferredBytes: size, totalBytes: size });
    return bytes;
  }
  if (typeof data.presigned_url === "string") {
    if (!isHttpUrl(data.presigned_url)) {
      throw malformed("read result has a presigned_url that is not an http(s) URL", requestId);
    }
    return client.transfer({
      method: "GET",
      url: data.presigned_url,
      expectedBytes: size,
      ...transferProgress(options.onProgress),
      ...callControls(options),
    });
  }
  throw malformed("unrecognized read response shape", requestId);
}

/**
 * Writes a file into a VM. Up to {@link INLINE_FILE_LIMIT_BYTES} the bytes go inline in
 * one chunk; above, the SDK asks for a signed URL, PUTs the bytes there and commits.
 * Every entry carries the SHA-256 of the whole file, so the service refuses a corrupted
 * upload. Retries are safe: the write is idempotent on its `upload_id`.
 */
export async function writeFile(
  client: ArkerClient,
  vmId: string,
  path: string,
  data: FileData,
  options: WriteFileOptions = {},
): Promise<void> {
  validatePath(path);
  const bytes = await toBytes(data, options.signal);
  const size = bytes.byteLength;
  // Hashes the caller's bytes in place; no copy is made.
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const send = (entry: WriteEntry) => sendWrite(client, vmId, entry, options);

  if (size <= INLINE_FILE_LIMIT_BYTES) {
    const result = await send({
      path,
      size,
      upload_id: newUploadId(),
      content: encodeBase64(bytes),
      start: 0,
      end: size,
      sha256,
    });
    expectWritten(result.value, path, result.requestId);
    options.onProgress?.({ transferredBytes: size, totalBytes: size });
    return;
  }

  const presign = await send({ path, size, presigned: true, sha256 });
  const url = presign.value.presigned_url;
  const uploadId = presign.value.upload_id;
  if (typeof url !== "string" || typeof uploadId !== "string") {
    throw malformed("presign result has no presigned_url or upload_id", presign.requestId);
  }
  if (!isHttpUrl(url)) {
    throw malformed(
      "presign result has a presigned_url that is not an http(s) URL",
      presign.requestId,
    );
  }
  await client.transfer({
    method: "PUT",
    url,
    body: bytes,
    ...transferProgress(options.onProgress),
    ...callControls(options),
  });
  const commit = await send({ path, size, upload_id: uploadId, sha256 });
  expectWritten(commit.value, path, commit.requestId);
}

async function sendWrite(
  client: ArkerClient,
  vmId: string,
  entry: WriteEntry,
  options: CallOptions,
): Promise<{ value: WriteResult; requestId: string | null }> {
  const body: SyncWriteRequest = { op: "write", writes: [entry] };
  const { data, requestId } = await client.request<unknown>({
    method: "POST",
    path: apiPath`/v1/vms/${vmId}/sync`,
    body,
    // The sync route is idempotent on upload_id, not on an Idempotency-Key.
    idempotencyKey: false,
    ...callControls(options),
  });
  const results = isRecord(data) ? data.results : undefined;
  const result: unknown = Array.isArray(results) ? results[0] : undefined;
  if (!isRecord(result)) throw malformed("write response has no results", requestId);
  const error = result.error;
  if (isRecord(error)) {
    const code = typeof error.code === "string" ? error.code : "internal";
    const message = typeof error.message === "string" ? error.message : "write failed";
    throw new ArkerError(code, client.redact(message), entryErrorStatus(code), { requestId });
  }
  return { value: result as unknown as WriteResult, requestId };
}

/** The HTTP status a per-entry error would have had as a whole answer. */
function entryErrorStatus(code: string): number {
  return (ERROR_STATUS as Readonly<Record<string, number>>)[code] ?? 500;
}

/** Names the caller's path, not the answer's: the answer's fields are untrusted text. */
function expectWritten(result: WriteResult, path: string, requestId: string | null): void {
  if (result.complete !== true || result.written !== true) {
    throw malformed(
      `write of ${path} did not complete (complete: ${String(result.complete)}, written: ${String(result.written)})`,
      requestId,
    );
  }
}

function decodeContent(content: string, encoding: unknown, requestId: string | null): Uint8Array {
  if (encoding === "base64") {
    return decodeBase64(content);
  }
  if (encoding === "utf8" || encoding === "utf-8" || encoding === undefined) {
    return encodeUtf8(content);
  }
  throw malformed(`unknown read encoding: ${describeWireValue(encoding)}`, requestId);
}

/** A size the service may announce: a non-negative safe integer. */
function isByteCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Whether a signed URL from the service can be fetched: an absolute http(s) URL.
 * Anything else is the service's fault (`internal`), not a network failure to retry.
 */
function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function malformed(message: string, requestId: string | null): ArkerError {
  return new ArkerError("internal", message, 200, { requestId });
}

/** Adapts a caller's progress callback to the transport's `(transferred, total)` form. */
function transferProgress(
  onProgress: ((progress: TransferProgress) => void) | undefined,
): Pick<TransferSpec, "onProgress"> {
  if (!onProgress) return {};
  return {
    onProgress: (transferredBytes, totalBytes) => onProgress({ transferredBytes, totalBytes }),
  };
}
