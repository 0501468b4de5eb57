import { ArkerError, isRecord } from "@arker-ai/core";
import type { Run, RunState } from "@arker-ai/core/wire";
import { decodeBase64, encodeUtf8 } from "./byte-encoding";
import { describeWireValue } from "./wire-value";

/** A run that finished within the call: its output is here. */
export interface CompletedRun {
  /** Discriminant: the run is over. */
  type: "completed";
  /** The run's id (`run_…`). */
  runId: string;
  /** `completed` (the command exited, whatever its code) or `failed` (e.g. a timeout). */
  state: "completed" | "failed";
  /** The command's exit code (124 after a timeout, 127 for a missing program). */
  exitCode: number;
  /** Standard output, as raw bytes. */
  stdout: Uint8Array;
  /** Standard error, as raw bytes. */
  stderr: Uint8Array;
  /** Why the run failed (`"timeout"`, `"host_failed"`, …), or `null`. */
  failReason: string | null;
  /** The session the command ran in. */
  sessionId: string;
}

/** A run still going: follow it with `getRun` or `waitForRun`. */
export interface BackgroundRun {
  /** Discriminant: the run continues in the background. */
  type: "background";
  /** The run's id (`run_…`). */
  runId: string;
  /** Always `running` at this point. */
  state: "running";
}

/** What `run` resolves to; switch on `type`. */
export type RunResult = CompletedRun | BackgroundRun;

/** A run as `getRun` reports it, with its output decoded to bytes. */
export interface RunDetails {
  /** The run's id (`run_…`). */
  runId: string;
  /** `running`, `completed`, `failed` or `cancelled`. */
  state: RunState;
  /** The exit code, or `null` while running. */
  exitCode: number | null;
  /** Why the run failed, or `null`. */
  failReason: string | null;
  /** Standard output so far, as raw bytes. */
  stdout: Uint8Array;
  /** Standard error so far, as raw bytes. */
  stderr: Uint8Array;
  /** The session the command ran in. */
  sessionId: string;
  /** The command as sent. */
  command: string;
  /** How many times a durable run was resumed after a host failure. */
  retryCount: number;
  /** When the run started (RFC 3339). */
  startedAt: string;
  /** When it ended (RFC 3339), or `null` while running. */
  completedAt: string | null;
}

/**
 * Decodes run output: `utf-8` text, or `base64` for bytes that are not valid UTF-8.
 * An absent encoding is taken as `utf-8`.
 */
export function decodeOutput(
  text: unknown,
  encoding: unknown,
  field: string,
  requestId: string | null,
): Uint8Array {
  if (text === undefined || text === null) return new Uint8Array();
  if (typeof text !== "string") throw malformed(`${field} is not a string`, requestId);
  if (encoding === "base64") {
    return decodeBase64(text);
  }
  if (encoding === undefined || encoding === null || encoding === "utf-8" || encoding === "utf8") {
    return encodeUtf8(text);
  }
  throw malformed(`${field}_encoding is unknown: ${describeWireValue(encoding)}`, requestId);
}

/**
 * Reads a run answer as docs/arker-api.md says clients must: `stdout` a string → completed;
 * else `run_id` a string → background; else `internal` "unrecognized run response shape".
 */
export function parseRunResponse(data: unknown, requestId: string | null): RunResult {
  if (isRecord(data) && typeof data.stdout === "string") {
    const state = data.state === "failed" ? "failed" : "completed";
    return {
      type: "completed",
      runId: stringField(data.run_id, "run_id", requestId),
      state,
      exitCode: numberField(data.exit_code, "exit_code", requestId),
      stdout: decodeOutput(data.stdout, data.stdout_encoding, "stdout", requestId),
      stderr: decodeOutput(data.stderr, data.stderr_encoding, "stderr", requestId),
      failReason: typeof data.fail_reason === "string" ? data.fail_reason : null,
      sessionId: typeof data.session_id === "string" ? data.session_id : "",
    };
  }
  if (isRecord(data) && typeof data.run_id === "string") {
    return { type: "background", runId: data.run_id, state: "running" };
  }
  throw malformed("unrecognized run response shape", requestId);
}

/** Decodes a wire {@link Run} into {@link RunDetails}. */
export function toRunDetails(data: unknown, requestId: string | null): RunDetails {
  if (!isRecord(data)) throw malformed("unrecognized run shape", requestId);
  const run = data as Partial<Run> & Record<string, unknown>;
  return {
    runId: stringField(run.run_id, "run_id", requestId),
    state: stringField(run.state, "state", requestId) as RunState,
    exitCode: typeof run.exit_code === "number" ? run.exit_code : null,
    failReason: typeof run.fail_reason === "string" ? run.fail_reason : null,
    stdout: decodeOutput(run.stdout, run.stdout_encoding, "stdout", requestId),
    stderr: decodeOutput(run.stderr, run.stderr_encoding, "stderr", requestId),
    sessionId: typeof run.session_id === "string" ? run.session_id : "",
    command: typeof run.command === "string" ? run.command : "",
    retryCount: typeof run.retry_count === "number" ? run.retry_count : 0,
    startedAt: typeof run.started_at === "string" ? run.started_at : "",
    completedAt: typeof run.completed_at === "string" ? run.completed_at : null,
  };
}

function numberField(value: unknown, name: string, requestId: string | null): number {
  if (typeof value !== "number") throw malformed(`run response has no ${name}`, requestId);
  return value;
}

function stringField(value: unknown, name: string, requestId: string | null): string {
  if (typeof value !== "string") throw malformed(`run response has no ${name}`, requestId);
  return value;
}

function malformed(message: string, requestId: string | null): ArkerError {
  return new ArkerError("internal", message, 200, { requestId });
}
