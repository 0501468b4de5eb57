import { isRecord } from "@arker-ai/core/internal";
import { RE2JS } from "re2js";
import type { CommandMatcher } from "../engine/command-stubs.js";
import { filesystemSnapshots, vmSnapshots } from "../engine/snapshots.js";
import type { FaultEffect, FaultRule } from "../http/faults.js";
import { badRequest, notFound } from "../support/errors.js";
import type { BodyReader } from "./body-reader.js";
import type { AddFaultRequest, FakeRouteResponse } from "./fake-route-types.js";
import type { FakeHandlers } from "./handler-types.js";

/**
 * The test controls under `/_fake/...` (only the fake serves them; the request pipeline's
 * control guard checks the key, `Origin` and `Content-Type` first): the JS controls of
 * `createFakeArker()` over HTTP, for the listening fake.
 *
 * @module
 */

function faultRule(body: BodyReader<AddFaultRequest>): FaultRule {
  const rule: FaultRule = { effect: body.value("effect") as FaultEffect };
  const method = body.string("method");
  if (method !== undefined) rule.method = method;
  const path = body.value("path");
  if (path !== undefined && path !== null) {
    if (typeof path !== "string") throw badRequest("path must be a glob string");
    rule.path = path;
  }
  const times = body.value("times");
  if (typeof times === "number") rule.times = times;
  const probability = body.value("probability");
  if (typeof probability === "number") rule.probability = probability;
  return rule;
}

/** The longest `match.regex` accepted over HTTP. */
const MAX_REGEX_LENGTH = 1_000;

/**
 * A regex sent over HTTP runs in RE2 (re2js): linear time in the command's length, so
 * a pattern such as `^(a+)+$` cannot stall the fake. What RE2 lacks (backreferences,
 * lookaround) is refused; a JS `RegExp` stays available through `fake.commands.on`.
 */
function commandMatcher(match: unknown): CommandMatcher {
  if (typeof match === "string") return match;
  if (isRecord(match) && typeof match.regex === "string") {
    if (match.regex.length > MAX_REGEX_LENGTH)
      throw badRequest(`match.regex is longer than ${MAX_REGEX_LENGTH} characters`);
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(match.regex);
    } catch (error) {
      const reason = error instanceof Error ? `: ${error.message}` : "";
      throw badRequest(`match.regex is not a regular expression RE2 can run${reason}`);
    }
    return (command) => pattern.matcher(command).find();
  }
  throw badRequest("match must be a string or { regex }");
}

/** The control handlers. */
export const controlHandlers: Omit<FakeHandlers, "getBlob" | "putBlob"> = {
  resetFake: ({ state }) => {
    state.reset();
    return { reset: true } satisfies FakeRouteResponse<"resetFake">;
  },

  listFakeVms: ({ state, origin }) =>
    ({ vms: vmSnapshots(state, origin) }) satisfies FakeRouteResponse<"listFakeVms">,

  listFakeFilesystems: ({ state }) =>
    ({
      filesystems: filesystemSnapshots(state),
    }) satisfies FakeRouteResponse<"listFakeFilesystems">,

  listFakeRequests: ({ state }) =>
    ({ requests: state.requestLog.snapshot() }) satisfies FakeRouteResponse<"listFakeRequests">,

  addFault: ({ state, body }) =>
    ({ id: state.faults.add(faultRule(body)) }) satisfies FakeRouteResponse<"addFault">,

  clearFaults: ({ state }) => {
    state.faults.clear();
    return { cleared: true } satisfies FakeRouteResponse<"clearFaults">;
  },

  getClock: ({ state }) =>
    ({ now: state.clock.iso(), mode: state.clock.mode }) satisfies FakeRouteResponse<"getClock">,

  advanceClock: async ({ state, body }) => {
    const ms = body.value("ms");
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
      throw badRequest("ms must be a number ≥ 0");
    await state.clock.advance(ms);
    return {
      now: state.clock.iso(),
      mode: state.clock.mode,
    } satisfies FakeRouteResponse<"advanceClock">;
  },

  addOrg: ({ state, body }) => {
    const name = body.value("name");
    if (name !== undefined && name !== null && (typeof name !== "string" || name === "")) {
      throw badRequest("name must be a non-empty string");
    }
    const org = state.orgs.addOrg(typeof name === "string" ? name : undefined);
    return { org_id: org.orgId, api_key: org.apiKey } satisfies FakeRouteResponse<"addOrg">;
  },

  revokeKey: ({ state, body }) => {
    const apiKey = body.value("api_key");
    if (typeof apiKey !== "string") throw badRequest("api_key must be a string");
    return { revoked: state.orgs.revokeKey(apiKey) } satisfies FakeRouteResponse<"revokeKey">;
  },

  addCommandStub: ({ state, body }) => {
    const matcher = commandMatcher(body.value("match"));
    const exitCode = body.value("exitCode") ?? 0;
    const durationMs = body.value("durationMs") ?? 0;
    if (!Number.isInteger(exitCode)) throw badRequest("exitCode must be an integer");
    if (typeof durationMs !== "number" || !(durationMs >= 0))
      throw badRequest("durationMs must be ≥ 0");
    const stdout = body.string("stdout");
    const stderr = body.string("stderr");
    state.stubs.on(matcher, () => ({ stdout, stderr, exitCode: exitCode as number, durationMs }));
    return { registered: true } satisfies FakeRouteResponse<"addCommandStub">;
  },

  clearCommandStubs: ({ state }) => {
    state.stubs.clear();
    return { cleared: true } satisfies FakeRouteResponse<"clearCommandStubs">;
  },

  failHost: ({ state, params }) => {
    if (state.vms.get(params.vm_id) === undefined) throw notFound(`vm not found: ${params.vm_id}`);
    state.failHost(params.vm_id);
    return { failed: true } satisfies FakeRouteResponse<"failHost">;
  },
};
