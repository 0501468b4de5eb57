import {
  type ArkerClient,
  ArkerError,
  type CallOptions,
  ERROR_STATUS,
  INLINE_FILE_LIMIT_BYTES,
  type TransferSpec,
} from "@arker-ai/core";
import {
  badRequest,
  callControls,
  expectObject,
  field,
  malformedResponse,
  objectDecoder,
  optionKeys,
  rejectUnknownOptions,
  validateIdempotencyKey,
  validatePath,
  withIdempotencyKey,
} from "@arker-ai/core/internal";
import type { WriteEntry, WriteResult } from "@arker-ai/core/wire";
import { decodeBase64, encodeBase64, encodeUtf8 } from "../support/byte-encoding";
import { type FileData, toBytes } from "../support/file-data";
import { sha256Hex } from "../support/sha256";
import { newUploadId } from "../support/upload-id";
import { describeWireValue } from "../support/wire-value";

/**
 * The files resource of a VM: one op-discriminated route (`POST /v1/vms/{vm_id}/sync`)
 * for reads and JSON writes, and `POST /v1/vms/{vm_id}/sync-file` for one file's bytes;
 * up to 4 MiB in the call, through signed URLs above.
 *
 * @module
 */

/** How far a file transfer has got. */
export interface TransferProgress {
  /** Bytes moved so far. */
  transferredBytes: number;
  /** The file's size, or `null` when not yet known. */
  totalBytes: number | null;
}

/** Options of a file read (a read takes no `idempotencyKey`). */
export interface ReadFileOptions extends CallOptions {
  /** Called as bytes arrive (once for an inline answer, per chunk for a signed URL). */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * Options of a file write. A write is idempotent on its `upload_id`, not on an
 * `Idempotency-Key` header: an `idempotencyKey` given here becomes the `upload_id` of an
 * inline write (up to 4 MiB), so a repeat with the same key and bytes changes nothing;
 * a failure carries the upload id in `ArkerError.idempotencyKey`.
 */
export interface WriteFileOptions extends CallOptions {
  /** Called as bytes are sent (once for an inline write, per chunk for a signed URL). */
  onProgress?: (progress: TransferProgress) => void;
}

const TRANSFER_OPTION_KEYS = optionKeys<ReadFileOptions & WriteFileOptions>({
  onProgress: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/**
 * Reads a file from a VM: the service answers inline (up to 4 MiB) or with a signed URL,
 * which is fetched without the auth header. The call asks for an inline file as raw
 * bytes (`Accept: application/octet-stream`) and takes the JSON answer (base64 or UTF-8)
 * of a server that ignores that. Always resolves to the file's bytes.
 */
export async function readFile(
  client: ArkerClient,
  vmId: string,
  path: string,
  options: ReadFileOptions = {},
): Promise<Uint8Array> {
  rejectUnknownOptions(options, TRANSFER_OPTION_KEYS, "readFile");
  validatePath(path);
  const { data, requestId } = await client.call(
    "syncFiles",
    { params: { vm_id: vmId }, body: { op: "read", path }, acceptBytes: true },
    readOptions(options),
  );
  // A server that serves bytes answers a file it would inline as the file itself.
  if (data instanceof Uint8Array) {
    const size = data.byteLength;
    options.onProgress?.({ transferredBytes: size, totalBytes: size });
    return data;
  }
  const answer = expectObject(data, "read", requestId);
  if (!isByteCount(answer.size))
    throw malformedResponse("unrecognized read response shape", requestId);
  const size = answer.size;
  if (typeof answer.content === "string") {
    const bytes = decodeContent(answer.content, answer.encoding, requestId);
    if (bytes.byteLength !== size) {
      throw malformedResponse(
        `read returned ${bytes.byteLength} bytes, announced ${size}`,
        requestId,
      );
    }
    options.onProgress?.({ transferredBytes: size, totalBytes: size });
    return bytes;
  }
  if (typeof answer.presigned_url === "string") {
    if (!isHttpUrl(answer.presigned_url)) {
      throw malformedResponse(
        "read result has a presigned_url that is not an http(s) URL",
        requestId,
      );
    }
    return client.transfer({
      method: "GET",
      url: answer.presigned_url,
      expectedBytes: size,
      ...transferProgress(options.onProgress),
      ...callControls(options),
    });
  }
  throw malformedResponse("unrecognized read response shape", requestId);
}

/**
 * Writes a file into a VM. Up to {@link INLINE_FILE_LIMIT_BYTES} the bytes go in one
 * request (`sync-file`: the bytes themselves; one inline JSON chunk to a server without
 * that route); above, the SDK asks for a signed URL, PUTs the bytes there and commits.
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
  rejectUnknownOptions(options, TRANSFER_OPTION_KEYS, "writeFile");
  validatePath(path);
  const uploadId =
    options.idempotencyKey === undefined
      ? newUploadId()
      : validateIdempotencyKey(options.idempotencyKey);
  const bytes = await toBytes(data, options.signal);
  const size = bytes.byteLength;
  const sha256 = await sha256Hex(bytes);
  const send = (entry: WriteEntry) => sendWrite(client, vmId, entry, options);

  if (size <= INLINE_FILE_LIMIT_BYTES) {
    const result = await writeInline(
      client,
      vmId,
      { path, size, upload_id: uploadId, sha256 },
      bytes,
      options,
    );
    expectWritten(result.value, path, result.requestId);
    options.onProgress?.({ transferredBytes: size, totalBytes: size });
    return;
  }

  const presign = await send({ path, size, presigned: true, sha256 });
  const url = presign.value.presigned_url;
  const presignedUploadId = presign.value.upload_id;
  if (typeof url !== "string" || typeof presignedUploadId !== "string") {
    throw malformedResponse("presign result has no presigned_url or upload_id", presign.requestId);
  }
  if (!isHttpUrl(url)) {
    throw malformedResponse(
      "presign result has a presigned_url that is not an http(s) URL",
      presign.requestId,
    );
  }
  try {
    await client.transfer({
      method: "PUT",
      url,
      body: bytes,
      ...transferProgress(options.onProgress),
      ...callControls(options),
    });
    const commit = await send({ path, size, upload_id: presignedUploadId, sha256 });
    expectWritten(commit.value, path, commit.requestId);
  } catch (error) {
    throw withIdempotencyKey(error, presignedUploadId);
  }
}

/**
 * Clients whose server answered a `sync-file` write as an unknown route and then took
 * the same write as a JSON chunk: their inline writes go as JSON from then on.
 */
const jsonWritesOnly = new WeakSet<ArkerClient>();

/**
 * Writes a file of up to 4 MiB in one request: its raw bytes through `sync-file` (no
 * base64, no JSON), or one inline JSON chunk of `sync` with the same `upload_id` where
 * the server has no `sync-file` (a 404 or 405 to it). A VM that is not there answers
 * 404 to both, and that is the error.
 */
async function writeInline(
  client: ArkerClient,
  vmId: string,
  head: { path: string; size: number; upload_id: string; sha256: string },
  bytes: Uint8Array,
  options: CallOptions,
): Promise<{ value: WriteResult; requestId: string | null }> {
  try {
    if (!jsonWritesOnly.has(client)) {
      const answer = await client
        .call(
          "syncFile",
          { params: { vm_id: vmId }, query: head, body: bytes },
          callControls(options),
        )
        .catch((error: unknown) => {
          if (error instanceof ArkerError && (error.status === 404 || error.status === 405)) return;
          throw error;
        });
      if (answer) {
        const { data, requestId } = answer;
        return {
          value: writeResults(client, data, requestId, [head], false)[0] as WriteResult,
          requestId,
        };
      }
    }
    const written = await sendWrite(
      client,
      vmId,
      { ...head, content: encodeBase64(bytes), start: 0, end: head.size },
      options,
    );
    jsonWritesOnly.add(client);
    return written;
  } catch (error) {
    throw withIdempotencyKey(error, head.upload_id);
  }
}

/** The controls of a read, which takes no key: it changes nothing. */
function readOptions(options: ReadFileOptions): CallOptions {
  if (options.idempotencyKey !== undefined) {
    throw badRequest("a file read takes no idempotencyKey");
  }
  return callControls(options);
}

const decodeWriteResult = objectDecoder<WriteResult>("write", {
  path: "string",
  size: "number",
  upload_id: "optional string",
  received_bytes: "optional number",
  ranges: "optional array",
  complete: "optional boolean",
  written: "optional boolean",
  presigned_url: "optional string",
  expires_in: "optional number",
  method: "optional string",
  error: "optional object",
});

async function sendWrite(
  client: ArkerClient,
  vmId: string,
  entry: WriteEntry,
  options: CallOptions,
): Promise<{ value: WriteResult; requestId: string | null }> {
  const uploadId = "upload_id" in entry ? entry.upload_id : null;
  try {
    const { results, requestId } = await sendWrites(client, vmId, [entry], options, false);
    return { value: results[0] as WriteResult, requestId };
  } catch (error) {
    throw withIdempotencyKey(error, uploadId);
  }
}

/**
 * Sends several write entries in one call and decodes one result per entry. The first
 * entry that failed becomes the error (`namePaths`: its message starts with the caller's
 * path, for a batch).
 */
export async function sendWrites(
  client: ArkerClient,
  vmId: string,
  entries: WriteEntry[],
  options: CallOptions,
  namePaths = true,
): Promise<{ results: WriteResult[]; requestId: string | null }> {
  // The sync route is idempotent on upload_id, not on an Idempotency-Key.
  const { data, requestId } = await client.call(
    "syncFiles",
    { params: { vm_id: vmId }, body: { op: "write", writes: entries } },
    callControls(options),
  );
  return { results: writeResults(client, data, requestId, entries, namePaths), requestId };
}

/**
 * Decodes a write answer, one result per entry. The first entry that failed becomes the
 * error (`namePaths`: its message starts with the caller's path, for a batch).
 */
function writeResults(
  client: ArkerClient,
  data: unknown,
  requestId: string | null,
  entries: ReadonlyArray<{ path: string }>,
  namePaths: boolean,
): WriteResult[] {
  const answer = expectObject(data, "write", requestId);
  const raw = field<unknown[] | undefined>(answer, "results", "optional array", "write", requestId);
  if (raw === undefined || raw.length === 0) {
    throw malformedResponse("write response has no results", requestId);
  }
  if (raw.length !== entries.length) {
    throw malformedResponse(
      `write response has ${raw.length} results for ${entries.length} entries`,
      requestId,
    );
  }
  const results = raw.map((result) => decodeWriteResult(result, requestId));
  results.forEach((result, index) => {
    const error = result.error;
    if (error === undefined) return;
    const code = typeof error.code === "string" ? error.code : "internal";
    const message = typeof error.message === "string" ? error.message : "write failed";
    const path = (entries[index] as { path: string }).path;
    throw new ArkerError(
      code,
      client.redact(namePaths ? `${path}: ${message}` : message),
      entryErrorStatus(code),
      { requestId },
    );
  });
  return results;
}

/** The HTTP status a per-entry error would have had as a whole answer. */
function entryErrorStatus(code: string): number {
  return (ERROR_STATUS as Readonly<Record<string, number>>)[code] ?? 500;
}

/** Names the caller's path, not the answer's: the answer's fields are untrusted text. */
export function expectWritten(result: WriteResult, path: string, requestId: string | null): void {
  if (result.complete !== true || result.written !== true) {
    throw malformedResponse(
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
  throw malformedResponse(`unknown read encoding: ${describeWireValue(encoding)}`, requestId);
}

/** A size the service may announce: a non-negative safe integer. */
function isByteCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Whether a signed URL from the service can be fetched: an absolute http(s) URL.
 * Anything else is the service's fault (`internal`), not a network failure to retry.
 */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** Adapts a caller's progress callback to the transport's `(transferred, total)` form. */
export function transferProgress(
  onProgress: ((progress: TransferProgress) => void) | undefined,
): Pick<TransferSpec, "onProgress"> {
  if (!onProgress) return {};
  return {
    onProgress: (transferredBytes, totalBytes) => onProgress({ transferredBytes, totalBytes }),
  };
}
