/**
 * Every enumerated value of the wire contract (docs/arker-api.md), once. Types are
 * derived from these arrays, so a value added here is known to the SDK, the fake and
 * the CLI alike.
 *
 * @module
 */

/** Every error code the API emits (docs/arker-api.md §3), plus the client's own four. */
export const ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "vm_busy",
  "payload_too_large",
  "unsupported_operation",
  "rate_limited",
  "internal",
  "not_implemented",
  "unavailable",
  "temporarily_unavailable",
  "routing_unavailable",
  "network_error",
  "aborted",
  "timeout",
  "command_failed",
] as const;

/**
 * An error code of the API, or one the client raises itself: `network_error` (no HTTP
 * answer after the last try), `aborted` (the caller's signal fired), `timeout` (a wait's
 * overall deadline passed, e.g. `waitForRun`'s `timeoutMs`) and `command_failed`
 * (`vm.exec`'s command exited non-zero or its run failed).
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes the client raises itself, never sent by the API (status 0). */
export type ClientErrorCode = "network_error" | "aborted" | "timeout" | "command_failed";

/** The HTTP status each server-side error code is sent with. */
export const ERROR_STATUS: Readonly<Record<Exclude<ErrorCode, ClientErrorCode>, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  vm_busy: 409,
  payload_too_large: 413,
  unsupported_operation: 422,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
  temporarily_unavailable: 503,
  routing_unavailable: 503,
};

/**
 * A VM's states: `running` while a run is in flight; `failed` once the host under a
 * non-durable VM failed (it can then only be read and deleted).
 */
export const VM_STATES = ["idle", "running", "failed"] as const;
/** A VM's state. */
export type VmState = (typeof VM_STATES)[number];

/** A run's states. */
export const RUN_STATES = ["running", "completed", "failed", "cancelled"] as const;
/** A run's lifecycle state. */
export type RunState = (typeof RUN_STATES)[number];

/** A session's states: `running` while one of its runs is in flight. */
export const SESSION_STATES = ["idle", "running"] as const;
/** A session's state. */
export type SessionState = (typeof SESSION_STATES)[number];

/** Why a run failed, as `fail_reason` says. */
export const FAIL_REASONS = ["timeout", "cancelled", "host_failed", "error", "signal"] as const;
/** A run's `fail_reason` (servers may add others: tolerate unknown strings). */
export type FailReason = (typeof FAIL_REASONS)[number];

/** The exit code a run ends with, by the way it ended (decided, docs/arker-api.md §4). */
export const EXIT_CODES = {
  /** A program that is not installed. */
  commandNotFound: 127,
  /** Killed by its `timeout`. */
  timeout: 124,
  /** Cancelled through `DELETE …/runs/{run_id}`. */
  cancelled: 130,
  /** Lost with its host (a non-durable VM). */
  hostFailed: 137,
} as const;

/**
 * The signals a run request's `signal` may send to the command in flight, with their
 * numbers: a signalled run ends `failed`, `fail_reason: "signal"`, exit code 128 + number.
 */
export const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as const;
/** A signal a run request may send. */
export type SignalName = keyof typeof SIGNALS;
/** Every signal name of {@link SIGNALS}. */
export const SIGNAL_NAMES: readonly SignalName[] = Object.keys(SIGNALS) as SignalName[];

/** A tunnel's states: `starting`, `open` (its `url` serves), `closed`. */
export const TUNNEL_STATES = ["starting", "open", "closed"] as const;
/** A tunnel's state. */
export type TunnelState = (typeof TUNNEL_STATES)[number];

/** Who may call a tunnel's `url`: anyone, or only callers with the owner org's API key. */
export const TUNNEL_VISIBILITIES = ["public", "private"] as const;
/** A tunnel's visibility. */
export type TunnelVisibility = (typeof TUNNEL_VISIBILITIES)[number];

/** What a tunnel forwards. */
export const TUNNEL_PROTOCOLS = ["http", "tcp"] as const;
/** A tunnel's protocol. */
export type TunnelProtocol = (typeof TUNNEL_PROTOCOLS)[number];

/** How run output is encoded: UTF-8 text, or base64 for other bytes. */
export const OUTPUT_ENCODINGS = ["utf-8", "base64"] as const;
/** How a run's output string is encoded. */
export type OutputEncoding = (typeof OUTPUT_ENCODINGS)[number];

/** How inline file content is encoded: note `utf8` without a hyphen, unlike run output. */
export const FILE_ENCODINGS = ["utf8", "base64"] as const;
/** Encoding of inline read content. */
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

/** The operations of the file sync route. */
export const SYNC_OPS = ["read", "write"] as const;
/** An operation of the file sync route. */
export type SyncOp = (typeof SYNC_OPS)[number];

/** The providers a region is served by. */
export const PROVIDERS = ["aws", "aws-burst"] as const;
/** A provider name. */
export type Provider = (typeof PROVIDERS)[number];

/** The org that owns the public golden images. */
export const ARKER_ORG_ID = "ArkerHQ";

/** Golden image names that fork from {@link ARKER_ORG_ID} when no org is given. */
export const PUBLIC_GOLDENS = [
  "arkuntu",
  "ubuntu",
  "ubuntu-small",
  "ubuntu-nodisk",
  "ubuntu-nonet-nodisk",
  "ubuntu-full",
  "ubuntu-full-32",
  "ubuntu-py-repl",
  "ubuntu-js-repl",
  "ubuntu-docker",
  "ubuntu-chromium",
  "ubuntu-servo",
  "ubuntu-servo-js-repl",
  "ubuntu-chromium-js-repl",
] as const;
/** A public golden image name. */
export type PublicGolden = (typeof PUBLIC_GOLDENS)[number];

/**
 * A fork source name: a public golden (completed by editors) or any other VM name of
 * your org, which `(string & {})` keeps accepted without widening the literals away.
 */
export type GoldenName = PublicGolden | (string & {});

/** The regions known to this SDK; others may exist. */
export const REGIONS = ["us-west-2"] as const;

/**
 * A region: a known one, a legacy combined name (`aws-us-west-2`, `aws-burst-us-west-2`,
 * whose prefix sets the provider), or any other string.
 */
export type Region =
  | (typeof REGIONS)[number]
  | `${Provider}-${(typeof REGIONS)[number]}`
  | (string & {});

/** Log levels, most verbose first; `off` silences. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "off"] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];
