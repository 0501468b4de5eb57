import { DEFAULT_MAX_FILE_BYTES, SYNC_WINDOW_MS } from "@arker-ai/core/contract";
import { CLOCK_MODES, type ClockMode, DEFAULT_START_TIME } from "./clock.js";
import { randomApiKey, randomControlToken } from "./secrets.js";

/**
 * Options of `createFakeArker`.
 *
 * @module
 */

/** Where the listening door binds. */
export interface ListenOptions {
  /** TCP port; default 0 (a random free port). */
  port?: number;
  /** Host to bind; default `127.0.0.1`. Anything else must be given explicitly. */
  host?: string;
}

/** Options of {@link createFakeArker}. */
export interface FakeArkerOptions {
  /** Also serve real HTTP: `true` for 127.0.0.1 on a random port, or where to bind. Default off. */
  listen?: boolean | ListenOptions;
  /** Seed of ids and fault probabilities (not of keys or tokens: those are random); default `1`. */
  seed?: number | string;
  /** Start of fake time (epoch ms, Date or RFC 3339); default 2025-01-01T00:00:00Z. */
  startTime?: number | Date | string;
  /**
   * How fake time moves: `"auto"` (default) skips ahead to the next due timer while a
   * client waits and nothing else can progress; `"real"` follows the wall clock;
   * `"manual"` moves only by `fake.clock.advance`. See the README's "Clock modes".
   */
  clock?: ClockMode;
  /** The synchronous window of foreground runs, in ms of fake time; default 30 000. */
  syncWindowMs?: number;
  /** Largest file a sync write accepts, in bytes; default 100 MiB. Larger → 413. */
  maxFileBytes?: number;
  /**
   * Largest request body the listening door reads, in bytes; default 4/3 × `maxFileBytes`
   * + 1 MiB (a base64 chunk of the largest file plus its JSON). A longer declared
   * `Content-Length` is refused unread, a longer streamed body stops being read: 413.
   */
  maxBodyBytes?: number;
  /**
   * Real time a shell command may take, in ms; default 60 000. Past it the run fails
   * (`timeout`, exit 124). This bounds the fake's CPU, unlike a run's `timeout_ms`,
   * which is fake time.
   */
  maxCommandMs?: number;
  /**
   * Bytes a shell command may produce (stdout, stderr, pipes and redirections to files
   * together; just-bash's `maxOutputSize`); default 128 MiB. Past it the run fails.
   */
  maxOutputBytes?: number;
  /**
   * Bytes of file content a VM (or a mounted filesystem) may hold; default 512 MiB. A write
   * past it fails inside the VM (`No space left on device`); a sync write answers
   * `payload_too_large` for that file.
   */
  maxVmBytes?: number;
  /** Whether `durable: true` forks are supported; default `true` (else 422). */
  durability?: boolean;
  /** Lifetime of presigned URLs, in seconds of fake time; default 900. */
  presignedUrlTtlSeconds?: number;
  /** Region reported on VMs; default `us-west-2`. */
  region?: string;
  /** Provider reported on VMs; default `aws`. */
  provider?: string;
  /** Id of the default org; default `org_test`. */
  orgId?: string;
  /** API key of the default org; default a random `ark_test_…` key, new on every start. */
  apiKey?: string;
  /**
   * Host names the listening door serves besides loopback (`localhost`, `127.0.0.1`,
   * `[::1]`) and the host it binds; any other `Host` header is refused with 403 (DNS
   * rebinding). E.g. a LAN name when listening on `0.0.0.0`.
   */
  allowedHosts?: readonly string[];
  /** Enable `python3` in the shell (slow to start: about a second per call); default `true`. */
  python?: boolean;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  seed: number | string;
  startTime: number;
  clock: ClockMode;
  syncWindowMs: number;
  maxFileBytes: number;
  maxBodyBytes: number;
  maxCommandMs: number;
  maxOutputBytes: number;
  maxVmBytes: number;
  durability: boolean;
  presignedUrlTtlSeconds: number;
  region: string;
  provider: string;
  orgId: string;
  apiKey: string;
  /** The token that opens the `/_fake/*` control routes (besides the default key). */
  controlToken: string;
  allowedHosts: readonly string[];
  python: boolean;
}

function toEpoch(value: number | Date | string | undefined): number {
  if (value === undefined) return DEFAULT_START_TIME;
  const epoch =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  if (!Number.isFinite(epoch))
    throw new TypeError(`startTime is not a valid time: ${String(value)}`);
  return epoch;
}

const MIB = 1024 * 1024;

function nonNegativeInteger(value: number, name: string): number {
  if (!(Number.isSafeInteger(value) && value >= 0))
    throw new TypeError(`${name} must be an integer ≥ 0`);
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isSafeInteger(value) && value > 0))
    throw new TypeError(`${name} must be an integer > 0`);
  return value;
}

function allowedHostsOf(hosts: readonly string[] | undefined): readonly string[] {
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts) || hosts.some((host) => typeof host !== "string" || host === ""))
    throw new TypeError("allowedHosts must be an array of non-empty host names");
  return hosts.map((host) => host.toLowerCase());
}

/** Applies defaults and checks option values. */
export function resolveOptions(options: FakeArkerOptions = {}): ResolvedOptions {
  const syncWindowMs = options.syncWindowMs ?? SYNC_WINDOW_MS;
  if (!(Number.isFinite(syncWindowMs) && syncWindowMs >= 0))
    throw new TypeError("syncWindowMs must be ≥ 0");
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!(Number.isInteger(maxFileBytes) && maxFileBytes >= 0))
    throw new TypeError("maxFileBytes must be an integer ≥ 0");
  const clock = options.clock ?? "auto";
  if (!CLOCK_MODES.includes(clock))
    throw new TypeError(`clock must be one of ${CLOCK_MODES.join(", ")}, got ${String(clock)}`);
  return {
    seed: options.seed ?? 1,
    startTime: toEpoch(options.startTime),
    clock,
    syncWindowMs,
    maxFileBytes,
    maxBodyBytes: nonNegativeInteger(
      options.maxBodyBytes ?? Math.ceil((maxFileBytes * 4) / 3) + MIB,
      "maxBodyBytes",
    ),
    maxCommandMs: positiveInteger(options.maxCommandMs ?? 60_000, "maxCommandMs"),
    maxOutputBytes: positiveInteger(options.maxOutputBytes ?? 128 * MIB, "maxOutputBytes"),
    maxVmBytes: nonNegativeInteger(options.maxVmBytes ?? 512 * MIB, "maxVmBytes"),
    durability: options.durability ?? true,
    presignedUrlTtlSeconds: options.presignedUrlTtlSeconds ?? 900,
    region: options.region ?? "us-west-2",
    provider: options.provider ?? "aws",
    orgId: options.orgId ?? "org_test",
    apiKey: options.apiKey ?? randomApiKey(),
    controlToken: randomControlToken(),
    allowedHosts: allowedHostsOf(options.allowedHosts),
    python: options.python ?? true,
  };
}
