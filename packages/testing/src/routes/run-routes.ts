import type { ListRunsResponse, RunState } from "@arker-ai/core/wire";
import { runSummaryView, runView } from "../engine/views.js";
import { paginate } from "../pagination.js";
import { ApiError, badRequest, notFound } from "../support/errors.js";
import {
  optionalBoolean,
  optionalCwd,
  optionalEnv,
  optionalInteger,
  optionalNonNegative,
  optionalString,
  requiredString,
} from "./fields.js";
import { ok, type Route } from "./route.js";

/**
 * Run routes: start, list, get, cancel.
 *
 * @module
 */

const RUN_STATES = new Set<RunState>(["running", "completed", "failed", "cancelled"]);

/** The run routes. */
export const runRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/vms/:vm/runs",
    idempotent: true,
    auth: true,
    async handle({ state, orgId, params, body }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const command = requiredString(body, "command");
      if (command.trim() === "") throw badRequest("command must not be empty");
      const sessionIdx = optionalInteger(body, "session_idx");
      if (sessionIdx !== undefined && sessionIdx < 0) throw badRequest("session_idx must be ≥ 0");
      const timeout = optionalNonNegative(body, "timeout") ?? 0;
      const input = {
        command,
        background: optionalBoolean(body, "background") ?? false,
        timeoutMs: Math.round(timeout * 1000),
        env: optionalEnv(body, "env"),
        cwd: optionalCwd(body, "cwd"),
      };
      const session = state.sessionFor(vm, optionalString(body, "session_id"), sessionIdx);
      const answer = await state.runner.start(vm, session, input);
      return { status: answer.status, body: answer.body };
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/runs",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params, query }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const filter = query.get("state");
      if (filter !== null && filter !== "" && !RUN_STATES.has(filter as RunState)) {
        throw badRequest("state must be running, completed, failed or cancelled");
      }
      const runs = [...vm.runs.values()].filter((run) => !filter || run.state === filter);
      const page = paginate(runs, query);
      return ok({
        runs: page.items.map(runSummaryView),
        next_cursor: page.nextCursor,
      } satisfies ListRunsResponse);
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/runs/:run",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const run = vm.runs.get(params.run!);
      if (run === undefined) throw notFound(`run not found: ${params.run}`);
      return ok(runView(run));
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/vms/:vm/runs/:run",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const run = vm.runs.get(params.run!);
      if (run === undefined) throw notFound(`run not found: ${params.run}`);
      if (run.state !== "running")
        throw new ApiError("conflict", `run ${run.id} already ended (${run.state})`);
      state.runner.cancel(vm, run);
      return ok({ cancelled: true });
    },
  },
];
