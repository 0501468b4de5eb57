/**
 * The Arker HTTP API's wire shapes (docs/arker-api.md §4), shared by the SDK clients and the
 * fake server so both sides speak one definition. Field names are the wire's snake_case.
 * Optional request fields may be absent or `null`; clients must tolerate unknown fields.
 *
 * @module
 */

export {
  ARKER_ORG_ID,
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  type FileEncoding,
  type OutputEncoding,
  PUBLIC_GOLDENS,
  type RunState,
  type SessionState,
  type SignalName,
  type TunnelProtocol,
  type TunnelState,
  type TunnelVisibility,
  type VmState,
} from "./enums";
export {
  DEFAULT_MAX_FILE_BYTES,
  INLINE_FILE_LIMIT_BYTES,
  MAX_PATH_BYTES,
  PAGE_LIMIT,
  PORT_RANGE,
  RESIZE_LIMITS,
} from "./limits";

import type {
  FileEncoding,
  OutputEncoding,
  RunState,
  SessionState,
  SignalName,
  TunnelProtocol,
  TunnelState,
  TunnelVisibility,
  VmState,
} from "./enums";

/** The flat error envelope this project's server emits. */
export interface ErrorEnvelope {
  code: string;
  message: string;
}

/** A session inside a VM: keeps cwd and exported env between runs. */
export interface Session {
  session_id: string;
  state: SessionState;
  cwd: string;
  session_idx: number;
  env: Record<string, string>;
  started_at: string;
}

/** A VM as the API returns it. */
export interface Vm {
  vm_id: string;
  owner_org_id: string;
  created_at: string;
  public: boolean;
  state: VmState;
  sessions: Session[];
  name: string | null;
  root_source_vm_id: string | null;
  root_source_vm_name: string | null;
  region: string;
  provider: string;
  started_at: string;
  vcpu_count: number;
  memory_mib: number;
  disk_mib: number;
  durable: boolean;
}

/**
 * Answer of `POST /v1/fork`: the new VM without its size (`vcpu_count`, `memory_mib`,
 * `disk_mib`), which the real service leaves out of the fork answer (issue 11, item 3);
 * `GET /v1/vms/{id}` has them.
 */
export type ForkResponse = Omit<Vm, "vcpu_count" | "memory_mib" | "disk_mib">;

/** Body of `POST /v1/fork`: exactly one of `source_vm_id` / `source_vm_name`. */
export interface ForkRequest {
  source_vm_id?: string | null;
  source_vm_name?: string | null;
  source_org_id?: string | null;
  name?: string | null;
  public?: boolean | null;
  disk?: boolean | null;
  vcpu_count?: number | null;
  memory_mib?: number | null;
  disk_mib?: number | null;
  durable?: boolean | null;
}

/** Query of `GET /v1/vms`. */
export interface ListVmsQuery {
  cursor?: string;
  limit?: number;
  state?: VmState;
  region?: string;
  provider?: string;
  source_org_id?: string;
  started_after?: string;
  started_before?: string;
}

/** Answer of `GET /v1/vms`. */
export interface ListVmsResponse {
  vms: Vm[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/vms/{id}`. */
export interface DeleteVmResponse {
  deleted: true;
}

/** Body of `POST /v1/vms/{id}/resize`: at least one field. */
export interface ResizeRequest {
  vcpu_count?: number | null;
  memory_mib?: number | null;
  disk_mib?: number | null;
}

/**
 * Body of `PATCH /v1/vms/{id}` (the Arker clients 0.6–0.8): a resize, at least one
 * field of `resources`. Answered with the VM as `GET` has it.
 */
export interface UpdateVmRequest {
  resources?: {
    vcpu?: number | null;
    memory_mib?: number | null;
    disk_mib?: number | null;
  } | null;
}

/** Answer of a resize. */
export interface ResizeResponse {
  resized: true;
}

/**
 * Body of `POST /v1/vms/{id}/runs`. `timeout` is in seconds; 0 or absent means none. With
 * `signal` and no `command` it is a control request: the signal goes to the command in
 * flight in the session, answered by a {@link SignalAckResponse}.
 *
 * The fields the real clients also send are accepted (docs/arker-api.md, issue 11
 * item 9): `time_to_background` is honoured; `end_symbol`, `acquire`, `release`, the
 * per-run `vcpu_count` / `memory_mib` / `disk_mib` and `network` are ignored.
 */
export interface RunRequest {
  command?: string | null;
  signal?: SignalName | null;
  session_id?: string | null;
  session_idx?: number | null;
  background?: boolean | null;
  timeout?: number | null;
  env?: Record<string, string> | null;
  cwd?: string | null;
  /** Seconds a foreground run may take before it is answered 202; 0 = at once. */
  time_to_background?: number | null;
}

/** Answer (200) of a run that finished within the synchronous window. */
export interface CompletedRunResponse {
  stdout: string;
  stdout_encoding: OutputEncoding;
  stderr: string;
  stderr_encoding: OutputEncoding;
  exit_code: number;
  run_id: string;
  state: "completed" | "failed";
  fail_reason: string | null;
  session_id: string;
}

/** Answer (202) of a background run, or of a foreground run past the synchronous window. */
export interface BackgroundRunResponse {
  run_id: string;
  state: "running";
}

/**
 * Answer (200) of a signal request (`signal` without `command`): a completed
 * acknowledgement with no `run_id`. `signalled` says whether a command was in flight
 * (decided; a client must tolerate its absence).
 */
export interface SignalAckResponse {
  state: "completed";
  exit_code: number;
  stdout: string;
  stdout_encoding: OutputEncoding;
  stderr: string;
  stderr_encoding: OutputEncoding;
  fail_reason: null;
  session_id: string;
  signal?: SignalName;
  signalled?: boolean;
}

/** A run as `GET /v1/vms/{id}/runs/{run_id}` returns it. */
export interface Run {
  run_id: string;
  state: RunState;
  started_at: string;
  completed_at: string | null;
  exit_code: number | null;
  fail_reason: string | null;
  stdout: string;
  stdout_encoding: OutputEncoding;
  stderr: string;
  stderr_encoding: OutputEncoding;
  session_id: string;
  command: string;
  retry_count: number;
}

/** One row of `GET /v1/vms/{id}/runs`. */
export interface RunSummary {
  run_id: string;
  state: RunState;
  started_at: string;
  completed_at: string | null;
  exit_code: number | null;
  fail_reason: string | null;
  session_id: string;
  command: string;
  retry_count: number;
}

/** Query of `GET /v1/vms/{id}/runs`. */
export interface ListRunsQuery {
  cursor?: string;
  limit?: number;
  state?: RunState;
}

/** Answer of `GET /v1/vms/{id}/runs`. */
export interface ListRunsResponse {
  runs: RunSummary[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/vms/{id}/runs/{run_id}`. */
export interface CancelRunResponse {
  cancelled: true;
}

/** Body of `POST /v1/vms/{id}/sessions`. */
export interface CreateSessionRequest {
  env?: Record<string, string> | null;
  cwd?: string | null;
}

/** Answer of `GET /v1/vms/{id}/sessions`. */
export interface ListSessionsResponse {
  sessions: Session[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/vms/{id}/sessions/{session_id}`. */
export interface DeleteSessionResponse {
  deleted: true;
}

/**
 * Answer of `POST /v1/vms/{id}/sessions/{session_id}/pty-ticket`: a short-lived ticket
 * that lets a browser open the session's terminal with `&ticket=…` instead of an
 * Authorization header.
 */
export interface PtyTicketResponse {
  ticket: string;
  /** Seconds until the ticket expires. */
  expires_in: number;
}

/**
 * Query of `GET /v1/vms/{id}/sessions/{session_id}/pty`, the session's terminal over a
 * WebSocket: binary frames carry terminal bytes both ways, text frames control
 * messages ({@link PtyClientMessage}, {@link PtyServerMessage}).
 */
export interface PtyQuery {
  /** Columns, 1–1000 (clamped). */
  cols?: number;
  /** Rows, 1–1000 (clamped). */
  rows?: number;
  /** `false`: the terminal (and the session) end when the connection closes. */
  persist?: boolean;
  /** One command instead of a shell: the terminal ends with it. */
  command?: string;
  /** A ticket of `POST …/pty-ticket`, instead of the Authorization header. */
  ticket?: string;
}

/**
 * The answer of the PTY route: `101 Switching Protocols`, no JSON body. The fake's
 * handler uses it to hand the upgraded connection to a terminal.
 */
export interface PtyUpgrade {
  readonly upgrade: "websocket";
}

/** A control message a client sends on the PTY WebSocket (a text frame). */
export type PtyClientMessage = { type: "resize"; cols: number; rows: number } | { type: "kill" };

/**
 * A control message the server sends on the PTY WebSocket (a text frame): the terminal
 * ended with this exit code; the server then closes the connection (1000).
 */
export interface PtyServerMessage {
  type: "exit";
  exit_code: number;
}

/** Body of a sync read. */
export interface SyncReadRequest {
  op: "read";
  path: string;
}

/** A sync read answered inline (files up to {@link INLINE_FILE_LIMIT_BYTES}). */
export interface SyncReadInlineResponse {
  ok: true;
  op: "read";
  path: string;
  size: number;
  content: string;
  encoding: FileEncoding;
}

/** A sync read answered with a signed URL to GET without an auth header. */
export interface SyncReadPresignedResponse {
  ok: true;
  op: "read";
  path: string;
  size: number;
  presigned_url: string;
  expires_in: number;
  method: "GET";
}

/** Either answer of a sync read. */
export type SyncReadResponse = SyncReadInlineResponse | SyncReadPresignedResponse;

/** An inline chunk `[start, end)` of a file; chunks sharing an `upload_id` merge. */
export interface WriteChunkEntry {
  path: string;
  size: number;
  upload_id: string;
  content: string;
  start: number;
  end: number;
  sha256?: string | null;
}

/** A request for a signed PUT URL. */
export interface WritePresignEntry {
  path: string;
  size: number;
  presigned: true;
  sha256?: string | null;
}

/** The commit of a presigned upload. */
export interface WriteCommitEntry {
  path: string;
  size: number;
  upload_id: string;
  sha256?: string | null;
}

/** Any write entry. */
export type WriteEntry = WriteChunkEntry | WritePresignEntry | WriteCommitEntry;

/** Body of a sync write. */
export interface SyncWriteRequest {
  op: "write";
  writes: WriteEntry[];
}

/** A per-entry failure, reported inside a 200 answer. */
export interface WriteEntryError {
  code: string;
  message: string;
}

/** A half-open byte range of a chunked upload: `start` included, `end` excluded. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The result of one write entry. Which fields are set depends on the entry kind. */
export interface WriteResult {
  path: string;
  size: number;
  upload_id?: string;
  received_bytes?: number;
  /** The byte ranges received so far, sorted and merged; `end` is exclusive. */
  ranges?: ByteRange[];
  complete?: boolean;
  written?: boolean;
  presigned_url?: string;
  expires_in?: number;
  method?: "PUT";
  error?: WriteEntryError;
}

/** Answer of a sync write. */
export interface SyncWriteResponse {
  ok: true;
  op: "write";
  results: WriteResult[];
}

/**
 * Query of `POST /v1/vms/{id}/sync-file`: the file's path, its size in bytes (the body's
 * length), the write's `upload_id` and optionally its SHA-256 (hex). The body is the
 * file itself; the answer is a sync write's, with one result.
 */
export interface SyncFileQuery {
  path: string;
  size: number;
  upload_id: string;
  sha256?: string;
}

/** How a `sync-stream` body is packed. */
export type ExtractFormat = "tar" | "tar.gz";

/**
 * Query of `POST /v1/vms/{id}/sync-stream`: the directory to extract into, the archive's
 * size in bytes and SHA-256 (hex), and its format. The body is the archive itself.
 */
export interface SyncStreamQuery {
  path: string;
  size: number;
  sha256?: string;
  extract: ExtractFormat;
}

/** Answer of `POST /v1/vms/{id}/sync-stream`. */
export interface SyncStreamResponse {
  ok: true;
  op: "extract_stream";
  /** The directory extracted into. */
  path: string;
  /** The archive's size in bytes. */
  size: number;
  /** Whether the whole archive was received and extracted. */
  complete: boolean;
  /** How many entries (files, directories, links) were extracted. */
  extracted: number;
}

/** A persistent filesystem. */
export interface Filesystem {
  filesystem_id: string;
  name: string;
  owner_org_id: string;
  created_at: string;
  size_bytes: number;
}

/** Body of `POST /v1/filesystems`. */
export interface CreateFilesystemRequest {
  name: string;
}

/** Query of `GET /v1/filesystems`. */
export interface ListFilesystemsQuery {
  cursor?: string;
  limit?: number;
  name_prefix?: string;
}

/** Answer of `GET /v1/filesystems`. */
export interface ListFilesystemsResponse {
  filesystems: Filesystem[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/filesystems/{id}`. */
export interface DeleteFilesystemResponse {
  deleted: true;
}

/** A live mount of a filesystem into a VM at `path`. */
export interface Sync {
  sync_id: string;
  vm_id: string;
  filesystem_id: string;
  path: string;
}

/** Body of `POST /v1/vms/{id}/syncs`. */
export interface CreateSyncRequest {
  /** The filesystem to mount; exactly one of `filesystem_id` / `filesystem_name`. */
  filesystem_id?: string | null;
  /** The org's filesystem of this name (the newest, when several have it). */
  filesystem_name?: string | null;
  /** With `filesystem_name`: create the filesystem when the org has none of that name. */
  create_if_missing?: boolean | null;
  /** Where it appears in the VM. Default `/mnt/<filesystem name>`. */
  path?: string | null;
}

/** Query of `GET /v1/vms/{id}/syncs`. */
export interface ListSyncsQuery {
  cursor?: string;
  limit?: number;
  filesystem_id?: string;
}

/** Answer of `GET /v1/vms/{id}/syncs`. */
export interface ListSyncsResponse {
  syncs: Sync[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/vms/{id}/syncs/{sync_id}`. */
export interface DeleteSyncResponse {
  deleted: true;
}

/** A port of a VM forwarded to a URL. Optional fields may be absent or `null`. */
export interface Tunnel {
  vm_id: string;
  port: number;
  visibility: TunnelVisibility;
  protocol: TunnelProtocol;
  state: TunnelState;
  run_id?: string | null;
  url?: string | null;
  message?: string | null;
  started_at?: string | null;
}

/** Body of `POST /v1/vms/{id}/tunnels`; an open port answers its existing tunnel. */
export interface CreateTunnelRequest {
  port: number;
  visibility?: TunnelVisibility | null;
  protocol?: TunnelProtocol | null;
}

/** Query of `GET /v1/vms/{id}/tunnels`. */
export interface ListTunnelsQuery {
  cursor?: string;
  limit?: number;
  state?: TunnelState;
}

/** Answer of `GET /v1/vms/{id}/tunnels`. */
export interface ListTunnelsResponse {
  tunnels: Tunnel[];
  next_cursor: string | null;
}

/** Answer of `DELETE /v1/vms/{id}/tunnels/{port}`. */
export interface DeleteTunnelResponse {
  deleted: true;
}

/** Answer of `GET /v1/health`. */
export interface HealthResponse {
  status: "ok";
  timestamp: string;
}

/** Query of `GET /v1/vms/{id}/sessions`. */
export interface ListSessionsQuery {
  cursor?: string;
  limit?: number;
}

/** Query of a list route that takes only a cursor and a page size. */
export type PageQuery = ListSessionsQuery;
