import type { RouteResponse } from "@arker-ai/core/contract";
import { RUN_STATES, SIGNAL_NAMES, SIGNALS, type SignalName } from "@arker-ai/core/contract";
import type { SignalAckResponse } from "@arker-ai/core/wire";
import { runSummaryView, runView } from "../engine/views.js";
import { ApiError, badRequest } from "../support/errors.js";
import { type ApiHandlers, StatusAnswer } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Run routes: start, list, get, cancel.
 *
 * @module
 */

/** The run handlers. */
export const runHandlers: Pick<ApiHandlers, "createRun" | "listRuns" | "getRun" | "cancelRun"> = {
  createRun: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const sessionIdx = body.integer("session_idx");
    if (sessionIdx !== undefined && sessionIdx < 0) throw badRequest("session_idx must be ≥ 0");
    const signal = body.string("signal");
    if (signal !== undefined) {
      // A control request: signal the session's command in flight.
      if (body.string("command") !== undefined)
        throw badRequest("a run request takes a command or a signal, not both");
      if (!(SIGNAL_NAMES as readonly string[]).includes(signal))
        throw badRequest(
          `signal must be one of ${SIGNAL_NAMES.join(", ")}; got ${JSON.stringify(signal)}`,
        );
      const session = state.sessionFor(vm, body.string("session_id"), sessionIdx);
      const name = signal as SignalName;
      const signalled = state.runner.signal(session, SIGNALS[name]) !== undefined;
      return {
        state: "completed",
        exit_code: 0,
        stdout: "",
        stdout_encoding: "utf-8",
        stderr: "",
        stderr_encoding: "utf-8",
        fail_reason: null,
        session_id: session.id,
        signal: name,
        signalled,
      } satisfies SignalAckResponse;
    }
    const command = body.requiredString("command");
    if (command.trim() === "") throw badRequest("command must not be empty");
    const timeout = body.nonNegative("timeout") ?? 0;
    const timeToBackground = body.nonNegative("time_to_background");
    const input = {
      command,
      background: body.boolean("background") ?? false,
      timeoutMs: Math.round(timeout * 1000),
      env: body.env("env"),
      cwd: body.path("cwd"),
      syncWindowMs: timeToBackground === undefined ? undefined : timeToBackground * 1000,
    };
    const session = state.sessionFor(vm, body.string("session_id"), sessionIdx);
    const answer = state.runner.start(vm, session, input);
    return answer instanceof Promise
      ? answer.then((settled) => new StatusAnswer(settled.status, settled.body))
      : new StatusAnswer(answer.status, answer.body);
  },

  listRuns: ({ state, orgId, params, query }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    const wanted = query.oneOf("state", RUN_STATES);
    return listPage(
      query,
      "runs",
      state.runs.list(vm),
      runSummaryView,
      (run) => wanted === undefined || run.state === wanted,
    );
  },

  getRun: async ({ state, orgId, params }) => {
    await state.runner.pollJumpsDone();
    const vm = state.vms.owned(orgId, params.vm_id);
    const run = state.runs.find(vm, params.run_id);
    const view = runView(run);
    if (run.state === "running") state.runner.polledRunning();
    return view;
  },

  cancelRun: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    const run = state.runs.find(vm, params.run_id);
    if (run.state !== "running")
      throw new ApiError("conflict", `run ${run.id} already ended (${run.state})`);
    state.runner.cancel(run);
    return { cancelled: true } satisfies RouteResponse<"cancelRun">;
  },
};
