import { hash } from "node:crypto";
import { INLINE_FILE_LIMIT_BYTES, routePath } from "@arker-ai/core/contract";
import { isRecord } from "@arker-ai/core/internal";
import type { SyncReadResponse, SyncWriteResponse, WriteResult } from "@arker-ai/core/wire";
import { validateApiPath } from "../files/paths.js";
import type { VmFileSystem } from "../files/vm-filesystem.js";
import { FAKE_ROUTES } from "../http/fake-routes.js";
import type { FileStore } from "../stores/file-store.js";
import type { BlobGrant, UploadRecord, VmRecord } from "../stores/records.js";
import type { EngineClock } from "../support/clock.js";
import { ApiError, badRequest } from "../support/errors.js";
import type { IdFactory } from "../support/ids.js";
import type { ResolvedOptions } from "../support/options.js";
import { encodeFileContent } from "./output.js";

/**
 * File sync (`POST /v1/vms/{id}/sync`) and the presigned blob URLs it hands out.
 *
 * Big files are kept without extra copies: a chunk that is a whole file (or a `sync-file`
 * body) is kept as decoded or received; other inline chunks are copied once into a buffer
 * allocated at the file's full size; a presigned PUT body is stored as received; the
 * stored bytes become the file node as they are; a presigned GET serves that same buffer.
 *
 * @module
 */

/** What file sync works with. */
export interface FileSyncHost {
  /** Uploads and grants. */
  readonly files: FileStore;
  readonly ids: IdFactory;
  readonly clock: EngineClock;
  readonly options: ResolvedOptions;
  /** A VM's files, mounts included. */
  filesystemOf(vm: VmRecord): VmFileSystem;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

interface EntryError {
  code: string;
  message: string;
}

class EntryFailure extends Error {
  readonly entryError: EntryError;
  constructor(code: string, message: string) {
    super(message);
    this.entryError = { code, message };
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether `text` is base64 (letters, digits, `+`, `/`, then at most two `=`), given its
 * decoded bytes. Canonical base64 — all the SDK sends — is recognised by encoding the
 * bytes back, natively; only other text meets the regular expression, which V8 runs at
 * tens of ns a character (seconds for a 4 MiB inline chunk on a busy machine; BENCHMARKS.md, row 7).
 */
function isBase64(text: string, decoded: Buffer): boolean {
  return decoded.toString("base64") === text || BASE64.test(text);
}

function optionalSha256(entry: Record<string, unknown>): string | undefined {
  const value = entry.sha256;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !SHA256_HEX.test(value))
    throw badRequest("sha256 must be 64 hex characters");
  return value.toLowerCase();
}

function integerField(entry: Record<string, unknown>, field: string): number {
  const value = entry[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest(`${field} must be an integer ≥ 0`);
  }
  return value;
}

function uploadIdField(entry: Record<string, unknown>): string {
  const value = entry.upload_id;
  if (typeof value !== "string" || value.length === 0 || value.length > 128) {
    throw badRequest("upload_id must be a non-empty string of at most 128 characters");
  }
  return value;
}

/** The query of `sync-file`, as sent: {@link FileSync.writeBytes} checks it. */
export interface SyncFileInput {
  path: string | undefined;
  size: string | undefined;
  upload_id: string | undefined;
  sha256: string | undefined;
}

type ParsedEntry =
  | { kind: "presign"; path: string; size: number; sha256: string | undefined }
  | {
      kind: "chunk";
      path: string;
      size: number;
      uploadId: string;
      content: string;
      start: number;
      end: number;
      sha256: string | undefined;
    }
  | { kind: "commit"; path: string; size: number; uploadId: string; sha256: string | undefined };

/** An entry's result, or its failure as the answer reports it (inside the 200). */
function entryResult(entry: ParsedEntry, attempt: () => WriteResult): WriteResult {
  try {
    return attempt();
  } catch (error) {
    if (error instanceof EntryFailure)
      return { path: entry.path, size: entry.size, error: error.entryError };
    throw error;
  }
}

/** File sync operations over a fake's VMs and its file store. */
export class FileSync {
  readonly #host: FileSyncHost;

  /** Creates the service. */
  constructor(host: FileSyncHost) {
    this.#host = host;
  }

  /** The signed URL of a grant, on the origin the request came to. */
  #signedUrl(origin: string, grant: BlobGrant): string {
    return `${origin}${routePath(FAKE_ROUTES.getBlob, { token: grant.token })}`;
  }

  /**
   * `op: "read"`: inline up to 4 MiB (as the raw bytes when the caller `acceptsBytes`,
   * else base64 or UTF-8 in JSON), a presigned GET URL above.
   */
  read(
    vm: VmRecord,
    rawPath: unknown,
    origin: string,
    acceptsBytes = false,
  ): SyncReadResponse | Uint8Array {
    const path = validateApiPath(rawPath);
    const files = this.#host.filesystemOf(vm);
    const kind = files.kindOf(path);
    if (kind === "directory") throw badRequest(`is a directory: ${path}`);
    const bytes = files.readBytes(path);
    if (bytes === undefined) throw new ApiError("not_found", `file not found: ${path}`);
    if (bytes.byteLength <= INLINE_FILE_LIMIT_BYTES) {
      // The stored buffer itself: file nodes are replaced on write, never changed in place.
      if (acceptsBytes) return bytes;
      const { content, encoding } = encodeFileContent(bytes);
      return { ok: true, op: "read", path, size: bytes.byteLength, content, encoding };
    }
    const grant = this.#grant({ method: "GET", content: bytes });
    return {
      ok: true,
      op: "read",
      path,
      size: bytes.byteLength,
      presigned_url: this.#signedUrl(origin, grant),
      expires_in: this.#host.options.presignedUrlTtlSeconds,
      method: "GET",
    };
  }

  /** `op: "write"`: validates every entry (400/413 for the whole request), then applies each. */
  write(vm: VmRecord, writes: unknown, origin: string): SyncWriteResponse {
    if (!Array.isArray(writes)) throw badRequest("writes must be an array");
    const entries = writes.map((entry) => this.#parse(entry));
    const results = entries.map((entry) =>
      entryResult(entry, () => {
        this.#checkRoom(vm, entry);
        switch (entry.kind) {
          case "presign":
            return this.#presign(vm, entry, origin);
          case "chunk":
            return this.#chunk(vm, entry);
          default:
            return this.#commit(vm, entry);
        }
      }),
    );
    return { ok: true, op: "write", results };
  }

  /** A file that cannot fit the VM's byte cap is refused before any byte is sent. */
  #checkRoom(vm: VmRecord, entry: ParsedEntry): void {
    if (entry.kind === "commit") return;
    if (!this.#host.filesystemOf(vm).roomFor(entry.path, entry.size)) {
      throw new EntryFailure(
        "payload_too_large",
        `cannot write ${entry.path}: the VM would hold more than ${this.#host.options.maxVmBytes} bytes of files`,
      );
    }
  }

  #parse(raw: unknown): ParsedEntry {
    if (!isRecord(raw)) throw badRequest("each write entry must be an object");
    const path = validateApiPath(raw.path);
    const size = integerField(raw, "size");
    if (size > this.#host.options.maxFileBytes) {
      throw new ApiError(
        "payload_too_large",
        `file of ${size} bytes exceeds the limit of ${this.#host.options.maxFileBytes} bytes: ${path}`,
      );
    }
    const sha256 = optionalSha256(raw);
    if (raw.presigned === true) return { kind: "presign", path, size, sha256 };
    if (raw.presigned !== undefined && raw.presigned !== null && raw.presigned !== false) {
      throw badRequest("presigned must be a boolean");
    }
    if (raw.content !== undefined && raw.content !== null) {
      if (typeof raw.content !== "string") throw badRequest("content must be a base64 string");
      return {
        kind: "chunk",
        path,
        size,
        uploadId: uploadIdField(raw),
        content: raw.content,
        start: integerField(raw, "start"),
        end: integerField(raw, "end"),
        sha256,
      };
    }
    if (raw.upload_id !== undefined && raw.upload_id !== null) {
      return { kind: "commit", path, size, uploadId: uploadIdField(raw), sha256 };
    }
    throw badRequest(
      "a write entry needs content (inline chunk), presigned: true, or upload_id (commit)",
    );
  }

  #grant(init: Omit<BlobGrant, "token" | "expiresAt">): BlobGrant {
    return this.#host.files.grant({
      ...init,
      expiresAt: this.#host.clock.now() + this.#host.options.presignedUrlTtlSeconds * 1000,
    });
  }

  #presign(
    vm: VmRecord,
    entry: Extract<ParsedEntry, { kind: "presign" }>,
    origin: string,
  ): WriteResult {
    const uploadId = this.#host.ids.next("upl");
    const upload: UploadRecord = {
      uploadId,
      path: entry.path,
      size: entry.size,
      presigned: true,
      buffer: undefined,
      ranges: [],
      sha256: entry.sha256,
      written: false,
    };
    this.#host.files.addUpload(vm, upload);
    const grant = this.#grant({ method: "PUT", vmId: vm.id, uploadId });
    return {
      path: entry.path,
      size: entry.size,
      presigned_url: this.#signedUrl(origin, grant),
      upload_id: uploadId,
      expires_in: this.#host.options.presignedUrlTtlSeconds,
      method: "PUT",
      complete: false,
      written: false,
    };
  }

  #existingUpload(
    vm: VmRecord,
    entry: { uploadId: string; path: string; size: number },
  ): UploadRecord | undefined {
    const upload = this.#host.files.upload(vm.id, entry.uploadId);
    if (upload !== undefined && (upload.path !== entry.path || upload.size !== entry.size)) {
      throw new EntryFailure(
        "conflict",
        `upload ${entry.uploadId} was started for another path or size`,
      );
    }
    return upload;
  }

  /**
   * `POST /v1/vms/{id}/sync-file`: one file from its raw bytes, the same write as one
   * inline chunk covering the whole file (idempotent on `upload_id`). A body whose
   * length is not `size` is a 400; a per-entry failure comes back inside the 200 answer.
   */
  writeBytes(vm: VmRecord, query: SyncFileInput, bytes: Uint8Array | null): SyncWriteResponse {
    const body = bytes ?? new Uint8Array(0);
    if (query.size === undefined || !/^\d+$/.test(query.size))
      throw badRequest("size must be the file's length in bytes");
    // Checked as the inline chunk it stands for (an empty `content` marks it a chunk).
    const entry = this.#parse({
      path: query.path,
      size: Number(query.size),
      upload_id: query.upload_id,
      sha256: query.sha256,
      content: "",
      start: 0,
      end: Number(query.size),
    }) as Extract<ParsedEntry, { kind: "chunk" }>;
    if (entry.size !== body.byteLength)
      throw badRequest(`size is ${entry.size} but the body has ${body.byteLength} bytes`);
    const result = entryResult(entry, () => {
      this.#checkRoom(vm, entry);
      return this.#applyChunk(vm, entry, body);
    });
    return { ok: true, op: "write", results: [result] };
  }

  #chunk(vm: VmRecord, entry: Extract<ParsedEntry, { kind: "chunk" }>): WriteResult {
    if (entry.start > entry.end || entry.end > entry.size) {
      throw new EntryFailure(
        "bad_request",
        `range [${entry.start}, ${entry.end}) is outside a file of ${entry.size} bytes`,
      );
    }
    const bytes = Buffer.from(entry.content, "base64");
    if (entry.content.length % 4 !== 0 || !isBase64(entry.content, bytes)) {
      throw new EntryFailure("bad_request", "content is not valid base64");
    }
    if (bytes.byteLength !== entry.end - entry.start) {
      throw new EntryFailure(
        "bad_request",
        `content holds ${bytes.byteLength} bytes but the range [${entry.start}, ${entry.end}) needs ${entry.end - entry.start}`,
      );
    }
    return this.#applyChunk(vm, entry, bytes);
  }

  /** Adds a chunk's checked bytes to its upload, and stores the file once they cover it. */
  #applyChunk(
    vm: VmRecord,
    entry: Extract<ParsedEntry, { kind: "chunk" }>,
    bytes: Uint8Array,
  ): WriteResult {
    let upload = this.#existingUpload(vm, entry);
    if (upload?.presigned)
      throw new EntryFailure("conflict", `upload ${entry.uploadId} is a presigned upload`);
    // A chunk that is a whole new file (every one the SDK sends) is kept without a copy:
    // the bytes are this request's own, decoded or received (a plain view, not a Buffer).
    const keptAsIs = upload === undefined && entry.end - entry.start === entry.size;
    if (upload === undefined) {
      upload = {
        uploadId: entry.uploadId,
        path: entry.path,
        size: entry.size,
        presigned: false,
        buffer: keptAsIs
          ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
          : new Uint8Array(entry.size),
        ranges: [],
        sha256: undefined,
        written: false,
      };
      this.#host.files.addUpload(vm, upload);
    }
    if (!upload.written) {
      if (entry.sha256 !== undefined) upload.sha256 = entry.sha256;
      upload.buffer ??= new Uint8Array(entry.size);
      if (!keptAsIs) upload.buffer.set(bytes, entry.start);
      upload.ranges = mergeRange(upload.ranges, [entry.start, entry.end]);
      if (covered(upload.ranges) === upload.size) this.#store(vm, upload);
    }
    return {
      path: entry.path,
      size: entry.size,
      received_bytes: upload.written ? upload.size : covered(upload.ranges),
      // Objects, as in the real clients' types (issue 11, item 10), not pairs.
      ranges: upload.written
        ? [{ start: 0, end: upload.size }]
        : upload.ranges.map(([start, end]) => ({ start, end })),
      complete: upload.written || covered(upload.ranges) === upload.size,
      written: upload.written,
    };
  }

  #commit(vm: VmRecord, entry: Extract<ParsedEntry, { kind: "commit" }>): WriteResult {
    const upload = this.#existingUpload(vm, entry);
    if (upload === undefined)
      throw new EntryFailure("not_found", `upload not found: ${entry.uploadId}`);
    if (!upload.written) {
      if (upload.buffer === undefined || covered(upload.ranges) !== upload.size) {
        throw new EntryFailure(
          "bad_request",
          `upload ${entry.uploadId} has not received its ${upload.size} bytes`,
        );
      }
      if (entry.sha256 !== undefined) upload.sha256 = entry.sha256;
      this.#store(vm, upload);
    }
    return { path: entry.path, size: entry.size, complete: true, written: true };
  }

  /** Checks the digest and writes the assembled file; on mismatch nothing is written. */
  #store(vm: VmRecord, upload: UploadRecord): void {
    const buffer = upload.buffer ?? new Uint8Array(0);
    if (upload.sha256 !== undefined) {
      const actual = hash("sha256", buffer, "hex");
      if (actual !== upload.sha256) {
        if (!upload.presigned) {
          upload.ranges = [];
          upload.buffer = undefined;
        }
        upload.sha256 = undefined;
        throw new EntryFailure(
          "bad_request",
          `sha256 mismatch for ${upload.path}: received ${actual}`,
        );
      }
    }
    try {
      this.#host.filesystemOf(vm).storeFile(upload.path, buffer);
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOSPC") {
        throw new EntryFailure(
          "payload_too_large",
          `cannot write ${upload.path}: the VM would hold more than ${this.#host.options.maxVmBytes} bytes of files`,
        );
      }
      throw new EntryFailure(
        "bad_request",
        `cannot write ${upload.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    upload.written = true;
    upload.buffer = undefined;
  }

  #liveGrant(token: string, method: BlobGrant["method"]): BlobGrant {
    const grant = this.#host.files.grantOf(token);
    if (grant === undefined) throw new ApiError("not_found", "no such signed URL");
    if (grant.method !== method)
      throw new ApiError("forbidden", `this URL is signed for ${grant.method}`);
    if (this.#host.clock.now() >= grant.expiresAt)
      throw new ApiError("forbidden", "signed URL expired");
    return grant;
  }

  /** `GET` of a signed URL (no auth: the token is the credential): the file as signed. */
  readBlob(token: string): Uint8Array {
    return this.#liveGrant(token, "GET").content ?? new Uint8Array(0);
  }

  /** `PUT` of a signed URL: the whole body of a presigned upload, kept until its commit. */
  writeBlob(token: string, body: Uint8Array | null): void {
    const grant = this.#liveGrant(token, "PUT");
    const upload = this.#host.files.upload(grant.vmId ?? "", grant.uploadId ?? "");
    if (upload === undefined) throw new ApiError("not_found", "upload not found");
    const data = body ?? new Uint8Array(0);
    if (data.byteLength > this.#host.options.maxFileBytes) {
      throw new ApiError(
        "payload_too_large",
        `body exceeds the limit of ${this.#host.options.maxFileBytes} bytes`,
      );
    }
    if (data.byteLength !== upload.size) {
      throw badRequest(`expected ${upload.size} bytes, received ${data.byteLength}`);
    }
    if (!upload.written) {
      upload.buffer = data;
      upload.ranges = upload.size === 0 ? [] : [[0, upload.size]];
    }
  }
}

function mergeRange(
  ranges: Array<[number, number]>,
  range: [number, number],
): Array<[number, number]> {
  if (range[0] === range[1]) return ranges;
  if (ranges.length === 0) return [range];
  const all = [...ranges, range].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function covered(ranges: Array<[number, number]>): number {
  let total = 0;
  for (const [start, end] of ranges) total += end - start;
  return total;
}
