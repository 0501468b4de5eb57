import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import { ArkerError, MAX_TIMEOUT_MS } from "@arker-ai/core";
import { RUN_STATES } from "@arker-ai/core/contract";
import {
  abortedError,
  acknowledgement,
  optionalNumberInRange,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  requireId,
  sleep,
} from "@arker-ai/core/internal";
import type { RunState, RunSummary } from "@arker-ai/core/wire";
import { statePageQuery } from "./page-query";
import {
  decodeRunDetails,
  decodeRunResult,
  decodeRunSummary,
  type RunDetails,
  type RunResult,
} from "./run-decoders";
import { type RunOptions, runRequest } from "./run-request";

/**
 * The runs resource of a VM: start a command, follow it, list and cancel runs.
 *
 * @module
 */

export { RUN_STATES };

/** Default interval between two polls of {@link Vm.waitForRun}, in milliseconds. */
export const DEFAULT_POLL_INTERVAL_MS = 500;

/** Options of `listRuns`. */
export interface ListRunsOptions extends CallOptions {
  /** Only runs in this state. */
  state?: RunState;
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** Options of `waitForRun`. */
export interface WaitForRunOptions {
  /** Stops waiting; the call then rejects with `aborted` (the run keeps going). */
  signal?: AbortSignal;
  /**
   * Milliseconds between two polls, 10 to 2³¹−1 (below 10 is a `bad_request`: a tight
   * loop against the service, the CLI's `--poll-interval` minimum too). Default 500.
   */
  pollIntervalMs?: number;
  /**
   * The longest the whole wait may take, in milliseconds (1 to 2³¹−1), polls and pauses
   * included; past it the call rejects with `timeout` (the run keeps going). Default:
   * no limit.
   */
  timeoutMs?: number;
}

const decodeCancelled = acknowledgement("run cancel");

const LIST_RUNS_KEYS = optionKeys<ListRunsOptions>({
  state: true,
  limit: true,
  cursor: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});
const WAIT_FOR_RUN_KEYS = optionKeys<WaitForRunOptions>({
  signal: true,
  pollIntervalMs: true,
  timeoutMs: true,
});

/** The shortest wait between two polls of `waitForRun` (issues 12 and 13: no tight loop). */
const MIN_POLL_INTERVAL_MS = 10;

/** `POST /v1/vms/{vm_id}/runs`: runs a command and discriminates the answer. */
export async function startRun(
  client: ArkerClient,
  vmId: string,
  command: string,
  options: RunOptions = {},
): Promise<RunResult> {
  const body = runRequest(command, options);
  const { data, requestId } = await client.call(
    "createRun",
    { params: { vm_id: vmId }, body },
    options,
  );
  return decodeRunResult(data, requestId);
}

/** `GET /v1/vms/{vm_id}/runs/{run_id}`. */
export async function getRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options: CallOptions | undefined,
): Promise<RunDetails> {
  rejectUnknownCallOptions(options, "getRun");
  const params = { vm_id: vmId, run_id: requireId(runId, "runId") };
  const { data, requestId } = await client.call("getRun", { params }, options);
  return decodeRunDetails(data, requestId);
}

/** `GET /v1/vms/{vm_id}/runs`: newest first, iterable across pages. */
export async function listRuns(
  client: ArkerClient,
  vmId: string,
  options: ListRunsOptions = {},
): Promise<Page<RunSummary>> {
  rejectUnknownOptions(options, LIST_RUNS_KEYS, "listRuns");
  const query = statePageQuery(options, RUN_STATES);
  return client.page("listRuns", { params: { vm_id: vmId }, query }, decodeRunSummary, options);
}

/** `DELETE /v1/vms/{vm_id}/runs/{run_id}`. */
export async function cancelRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "cancelRun");
  const params = { vm_id: vmId, run_id: requireId(runId, "runId") };
  const { data, requestId } = await client.call("cancelRun", { params }, options);
  decodeCancelled(data, requestId);
}

/**
 * Checks a `pollIntervalMs` option (absent: `undefined`). Callers that start something
 * before they poll (`exec`) check it first, so a bad value sends nothing.
 */
export function checkedPollInterval(value: unknown): number | undefined {
  // A timer past 2^31-1 ms fires after 1 ms: a huge interval would poll in a tight loop.
  return optionalNumberInRange(
    value,
    MIN_POLL_INTERVAL_MS,
    MAX_TIMEOUT_MS,
    "pollIntervalMs",
    "milliseconds",
  );
}

/** Polls a run until it is no longer `running`, within `timeoutMs` when given. */
export async function waitForRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options: WaitForRunOptions = {},
): Promise<RunDetails> {
  rejectUnknownOptions(options, WAIT_FOR_RUN_KEYS, "waitForRun");
  requireId(runId, "runId");
  const interval = checkedPollInterval(options.pollIntervalMs) ?? DEFAULT_POLL_INTERVAL_MS;
  const timeoutMs = optionalNumberInRange(
    options.timeoutMs,
    1,
    MAX_TIMEOUT_MS,
    "timeoutMs",
    "milliseconds",
  );
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [options.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  try {
    return await pollUntilDone(client, vmId, runId, interval, signal);
  } catch (error) {
    if (deadline?.aborted && !options.signal?.aborted) {
      throw new ArkerError(
        "timeout",
        `run ${runId} was still running after ${timeoutMs} ms (the run keeps going)`,
        0,
        { cause: error },
      );
    }
    throw error;
  }
}

async function pollUntilDone(
  client: ArkerClient,
  vmId: string,
  runId: string,
  interval: number,
  signal: AbortSignal | undefined,
): Promise<RunDetails> {
  const controls: CallOptions = signal ? { signal } : {};
  for (;;) {
    const run = await getRun(client, vmId, runId, controls);
    if (run.state !== "running") return run;
    try {
      await sleep(interval, signal);
    } catch (reason) {
      throw abortedError(reason);
    }
  }
}
