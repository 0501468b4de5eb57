import {
  type FieldRules,
  isRecord,
  malformedResponse,
  objectDecoder,
} from "@arker-ai/core/internal";
import type {
  BackgroundRunResponse,
  CompletedRunResponse,
  Run,
  RunState,
  RunSummary,
} from "@arker-ai/core/wire";
import { decodeBase64, encodeUtf8 } from "../support/byte-encoding";
import { describeWireValue } from "../support/wire-value";

/**
 * The run answers, decoded: a run's start (completed or background), a run's details,
 * a run's list entry. Output arrives as text or base64 and leaves as bytes.
 *
 * @module
 */

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

const SUMMARY_RULES: FieldRules<RunSummary> = {
  run_id: "string",
  state: "string",
  started_at: "string",
  completed_at: "string|null",
  exit_code: "number|null",
  fail_reason: "string|null",
  session_id: "string",
  command: "string",
  retry_count: "number",
};

/** Decodes a run of a list page. */
export const decodeRunSummary = objectDecoder<RunSummary>("run", SUMMARY_RULES);

const decodeRunFields = objectDecoder<Run>("run", {
  ...SUMMARY_RULES,
  stdout: "string",
  stdout_encoding: "optional string",
  stderr: "string",
  stderr_encoding: "optional string",
});

// stderr may be left out of a completed answer (older servers): it reads as empty.
const decodeCompletedFields = objectDecoder<CompletedRunResponse>("completed run", {
  stdout: "string",
  stdout_encoding: "optional string",
  stderr: "optional string",
  stderr_encoding: "optional string",
  exit_code: "number",
  run_id: "string",
  state: "string",
  fail_reason: "string|null",
  session_id: "optional string",
});

const decodeBackgroundFields = objectDecoder<BackgroundRunResponse>("background run", {
  run_id: "string",
  state: "optional string",
});

/**
 * Decodes run output: `utf-8` text, or `base64` for bytes that are not valid UTF-8.
 * An absent encoding is taken as `utf-8`.
 */
export function decodeOutput(
  text: string,
  encoding: unknown,
  field: string,
  requestId: string | null,
): Uint8Array {
  if (encoding === "base64") return decodeBase64(text);
  if (encoding === undefined || encoding === null || encoding === "utf-8" || encoding === "utf8") {
    return encodeUtf8(text);
  }
  throw malformedResponse(
    `${field}_encoding is unknown: ${describeWireValue(encoding)}`,
    requestId,
  );
}

/**
 * Reads a run answer as docs/arker-api.md says clients must: `stdout` a string → completed;
 * else `run_id` a string → background; else "unrecognized run response shape".
 */
export function decodeRunResult(data: unknown, requestId: string | null): RunResult {
  const record = isRecord(data) ? data : {};
  if (typeof record.stdout === "string") {
    const run = decodeCompletedFields(data, requestId);
    return {
      type: "completed",
      runId: run.run_id,
      state: run.state === "failed" ? "failed" : "completed",
      exitCode: run.exit_code,
      stdout: decodeOutput(run.stdout, run.stdout_encoding, "stdout", requestId),
      stderr: decodeOutput(run.stderr ?? "", run.stderr_encoding, "stderr", requestId),
      failReason: run.fail_reason ?? null,
      sessionId: run.session_id ?? "",
    };
  }
  if (typeof record.run_id === "string") {
    const run = decodeBackgroundFields(data, requestId);
    return { type: "background", runId: run.run_id, state: "running" };
  }
  throw malformedResponse("unrecognized run response shape", requestId);
}

/** Decodes a wire {@link Run} into {@link RunDetails}. */
export function decodeRunDetails(data: unknown, requestId: string | null): RunDetails {
  const run = decodeRunFields(data, requestId);
  return {
    runId: run.run_id,
    state: run.state,
    exitCode: run.exit_code ?? null,
    failReason: run.fail_reason ?? null,
    stdout: decodeOutput(run.stdout, run.stdout_encoding, "stdout", requestId),
    stderr: decodeOutput(run.stderr, run.stderr_encoding, "stderr", requestId),
    sessionId: run.session_id,
    command: run.command,
    retryCount: run.retry_count,
    startedAt: run.started_at,
    completedAt: run.completed_at ?? null,
  };
}
