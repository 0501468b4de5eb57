import type {
  FailReason,
  RunState,
  TunnelProtocol,
  TunnelVisibility,
} from "@arker-ai/core/contract";
import type { CowTree } from "../files/cow-tree.js";

/**
 * The records the stores keep. Each kind lives in one store (`*-store.ts`), which owns
 * the collection; wire shapes are built from records in `engine/views.ts`.
 *
 * @module
 */

/** An organisation. */
export interface OrgRecord {
  orgId: string;
  name: string;
}

/** A session of a VM: cwd and env carried between runs (the runner queues its runs). */
export interface SessionRecord {
  id: string;
  vmId: string;
  idx: number;
  seq: number;
  cwd: string;
  env: Record<string, string>;
  startedAt: number;
}

/** A run of a command. Fields below `timeoutMs` are the runner's own bookkeeping. */
export interface RunRecord {
  id: string;
  vmId: string;
  sessionId: string;
  seq: number;
  command: string;
  state: RunState;
  startedAt: number;
  completedAt: number | null;
  exitCode: number | null;
  failReason: FailReason | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  retryCount: number;
  /** Timeout in ms of fake time; 0 = none. */
  timeoutMs: number;
  /** Fake time a foreground run may take before it is answered 202. */
  syncWindowMs: number;
  /** Whether a caller still waits for a 200 answer (foreground within the window). */
  attached: boolean;
  /** Virtual time the run has spent so far (sleeps, stub durations). */
  elapsedMs: number;
  /** Whether execution has begun (it may wait in its session's queue first). */
  begun: boolean;
  /** Aborts the shell execution; created only when the shell runs the command. */
  abort: AbortController | undefined;
  /** Set when the run must stop (cancel, timeout, host failure). */
  stopped: boolean;
  /** Wakes a sleep parked on the fake clock (cancel, timeout, host failure). */
  wake: (() => void) | undefined;
  /** Waiters resolved when the run parks on the clock or finishes. */
  settled: Array<() => void>;
  /** Cancels pending clock timers of the run. */
  timers: Array<() => void>;
  /** The queue of the run's session (runs queued or executing on it, oldest first). */
  queue: RunRecord[];
  /** Whether the run is in flight (kept by the run store). */
  inFlight: boolean;
  /** Whether time waits for the run to park or end (see the runner's `#executing`). */
  executing: boolean;
  /** Whether a foreground caller still waits for the answer. */
  waiting: boolean;
  /** Delivers the answer to a foreground caller (200 or 202), once. */
  answer: ((detached: boolean) => void) | undefined;
}

/** A VM. Its sessions, runs and mounts live in their own stores, keyed by `id`. */
export interface VmRecord {
  id: string;
  seq: number;
  ownerOrgId: string;
  createdAt: number;
  startedAt: number;
  public: boolean;
  name: string | null;
  rootSourceVmId: string | null;
  rootSourceVmName: string | null;
  region: string;
  provider: string;
  vcpuCount: number;
  memoryMib: number;
  diskMib: number;
  disk: boolean;
  durable: boolean;
  /**
   * The host failed under this non-durable VM: it keeps its record and its runs (to be
   * read), and refuses everything that needs a host until it is deleted.
   */
  failed: boolean;
  tree: CowTree;
}

/** A persistent filesystem. */
export interface FilesystemRecord {
  id: string;
  seq: number;
  name: string;
  ownerOrgId: string;
  createdAt: number;
  tree: CowTree;
}

/** A live mount of a filesystem into a VM (a "sync" on the wire). */
export interface MountRecord {
  id: string;
  seq: number;
  vmId: string;
  filesystemId: string;
  /** Normalised absolute mount path. */
  path: string;
  filesystem: FilesystemRecord;
}

/** A file upload assembling by `upload_id`. */
export interface UploadRecord {
  uploadId: string;
  path: string;
  size: number;
  /** Presigned uploads receive their bytes by PUT; inline ones by chunks. */
  presigned: boolean;
  /** The assembling bytes (allocated once, at full size). */
  buffer: Uint8Array | undefined;
  /** Received half-open ranges, merged and sorted. */
  ranges: Array<[number, number]>;
  /** Expected sha256 (hex, lower case) of the whole file, if any entry gave one. */
  sha256: string | undefined;
  written: boolean;
}

/** A signed URL grant for one object and one method. */
export interface BlobGrant {
  token: string;
  method: "GET" | "PUT";
  expiresAt: number;
  /** GET: the file content at signing time. */
  content?: Uint8Array;
  /** PUT: the upload that receives the bytes. */
  vmId?: string;
  uploadId?: string;
}

/** An open tunnel: a port of a VM forwarded to a URL on the fake's own origin. */
export interface TunnelRecord {
  vmId: string;
  port: number;
  seq: number;
  visibility: TunnelVisibility;
  protocol: TunnelProtocol;
  startedAt: number;
}
