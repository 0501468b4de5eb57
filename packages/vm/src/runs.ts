import {
  type ArkerClient,
  ArkerError,
  apiPath,
  type CallOptions,
  callControls,
  MAX_TIMEOUT_MS,
  optionalNumberInRange,
  optionalOneOf,
  type Page,
  requireId,
  sleep,
  validateLimit,
} from "@arker-ai/core";
import type { RunState, RunSummary } from "@arker-ai/core/wire";
import { type RunOptions, runRequest } from "./run";
import { parseRunResponse, type RunDetails, type RunResult, toRunDetails } from "./run-result";

/** The run states a list can filter on. */
export const RUN_STATES: readonly RunState[] = ["running", "completed", "failed", "cancelled"];

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
  /** Milliseconds between two polls, 0 to 2³¹−1. Default 500. */
  pollIntervalMs?: number;
}

/** `POST /v1/vms/{id}/runs`: runs a command and discriminates the answer. */
export async function startRun(
  client: ArkerClient,
  vmId: string,
  command: string,
  options: RunOptions = {},
): Promise<RunResult> {
  const body = runRequest(command, options);
  const { data, requestId } = await client.request<unknown>({
    method: "POST",
    path: apiPath`/v1/vms/${vmId}/runs`,
    body,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...callControls(options),
  });
  return parseRunResponse(data, requestId);
}

/** `GET /v1/vms/{id}/runs/{run_id}`. */
export async function getRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options?: CallOptions,
): Promise<RunDetails> {
  requireId(runId, "runId");
  const { data, requestId } = await client.request<unknown>({
    method: "GET",
    path: apiPath`/v1/vms/${vmId}/runs/${runId}`,
    ...callControls(options),
  });
  return toRunDetails(data, requestId);
}

/** `GET /v1/vms/{id}/runs`: newest first, iterable across pages. */
export async function listRuns(
  client: ArkerClient,
  vmId: string,
  options: ListRunsOptions = {},
): Promise<Page<RunSummary>> {
  return client.list<RunSummary>(
    {
      method: "GET",
      path: apiPath`/v1/vms/${vmId}/runs`,
      query: {
        state: optionalOneOf(options.state, RUN_STATES, "state"),
        limit: validateLimit(options.limit),
        cursor: options.cursor,
      },
      ...callControls(options),
    },
    "runs",
  );
}

/** `DELETE /v1/vms/{id}/runs/{run_id}`. */
export async function cancelRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options?: CallOptions,
): Promise<void> {
  requireId(runId, "runId");
  await client.request<unknown>({
    method: "DELETE",
    path: apiPath`/v1/vms/${vmId}/runs/${runId}`,
    ...callControls(options),
  });
}

/** Polls a run until it is no longer `running`. */
export async function waitForRun(
  client: ArkerClient,
  vmId: string,
  runId: string,
  options: WaitForRunOptions = {},
): Promise<RunDetails> {
  requireId(runId, "runId");
  // A timer past 2^31-1 ms fires after 1 ms: a huge interval would poll in a tight loop.
  const interval =
    optionalNumberInRange(
      options.pollIntervalMs,
      0,
      MAX_TIMEOUT_MS,
      "pollIntervalMs",
      "milliseconds",
    ) ?? DEFAULT_POLL_INTERVAL_MS;
  const signal = options.signal;
  for (;;) {
    const run = await getRun(client, vmId, runId, signal ? { signal } : {});
    if (run.state !== "running") return run;
    try {
      await sleep(interval, signal);
    } catch (reason) {
      throw new ArkerError("aborted", "the call was aborted", 0, { cause: reason });
    }
  }
}
