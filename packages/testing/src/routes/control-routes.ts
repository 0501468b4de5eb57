import { filesystemSnapshots, vmSnapshots } from "../engine/snapshots.js";
import type { FakeState } from "../engine/state.js";
import type { FaultEffect, FaultRule } from "../http/faults.js";
import { type EngineResponse, jsonResponse } from "../http/http-types.js";
import { ApiError, badRequest, notFound } from "../support/errors.js";
import { isJsonObject, type JsonObject } from "./fields.js";

/**
 * The test controls under `/_fake/...` (no auth; only the fake serves them).
 *
 * @module
 */

function parseFaultRule(body: JsonObject): FaultRule {
  const rule: FaultRule = { effect: body.effect as FaultEffect };
  if (body.method !== undefined && body.method !== null) {
    if (typeof body.method !== "string") throw badRequest("method must be a string");
    rule.method = body.method;
  }
  if (body.path !== undefined && body.path !== null) {
    if (typeof body.path !== "string") throw badRequest("path must be a glob string");
    rule.path = body.path;
  }
  if (typeof body.times === "number") rule.times = body.times;
  if (typeof body.probability === "number") rule.probability = body.probability;
  return rule;
}

function stubText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${field} must be a string`);
  return value;
}

/** Handles a control request; `undefined` when no control route matches. */
export async function handleControl(
  state: FakeState,
  method: string,
  path: string,
  body: JsonObject,
): Promise<EngineResponse | undefined> {
  const route = `${method} ${path}`;
  switch (route) {
    case "POST /_fake/reset":
      state.reset();
      return jsonResponse(200, { reset: true });
    case "GET /_fake/vms":
      return jsonResponse(200, { vms: vmSnapshots(state) });
    case "GET /_fake/filesystems":
      return jsonResponse(200, { filesystems: filesystemSnapshots(state) });
    case "GET /_fake/requests":
      return jsonResponse(200, { requests: state.requestLog.snapshot() });
    case "POST /_fake/faults":
      try {
        return jsonResponse(200, { id: state.faults.add(parseFaultRule(body)) });
      } catch (error) {
        if (error instanceof TypeError) throw badRequest(error.message);
        throw error;
      }
    case "DELETE /_fake/faults":
      state.faults.clear();
      return jsonResponse(200, { cleared: true });
    case "GET /_fake/clock":
      return jsonResponse(200, { now: state.clock.iso() });
    case "POST /_fake/clock/advance": {
      const ms = body.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        throw badRequest("ms must be a number ≥ 0");
      await state.clock.advance(ms);
      return jsonResponse(200, { now: state.clock.iso() });
    }
    case "POST /_fake/orgs": {
      const name = body.name;
      if (name !== undefined && name !== null && (typeof name !== "string" || name === "")) {
        throw badRequest("name must be a non-empty string");
      }
      const org = state.addOrg(typeof name === "string" ? name : undefined);
      return jsonResponse(200, { org_id: org.orgId, api_key: org.apiKey });
    }
    case "POST /_fake/revoke-key": {
      if (typeof body.api_key !== "string") throw badRequest("api_key must be a string");
      return jsonResponse(200, { revoked: state.revokeKey(body.api_key) });
    }
    case "POST /_fake/commands": {
      const match = body.match;
      let matcher: string | RegExp;
      if (typeof match === "string") matcher = match;
      else if (isJsonObject(match) && typeof match.regex === "string") {
        try {
          matcher = new RegExp(match.regex);
        } catch {
          throw badRequest("match.regex is not a valid regular expression");
        }
      } else throw badRequest("match must be a string or { regex }");
      const exitCode = body.exitCode ?? 0;
      const durationMs = body.durationMs ?? 0;
      if (!Number.isInteger(exitCode)) throw badRequest("exitCode must be an integer");
      if (typeof durationMs !== "number" || !(durationMs >= 0))
        throw badRequest("durationMs must be ≥ 0");
      const stdout = stubText(body.stdout, "stdout");
      const stderr = stubText(body.stderr, "stderr");
      state.stubs.on(matcher, () => ({ stdout, stderr, exitCode: exitCode as number, durationMs }));
      return jsonResponse(200, { registered: true });
    }
    case "DELETE /_fake/commands":
      state.stubs.clear();
      return jsonResponse(200, { cleared: true });
  }
  const failHost = /^\/_fake\/fail-host\/([^/]+)$/.exec(path);
  if (failHost !== null && method === "POST") {
    const vmId = decodeURIComponent(failHost[1]!);
    if (!state.vms.has(vmId)) throw notFound(`vm not found: ${vmId}`);
    state.failHost(vmId);
    return jsonResponse(200, { failed: true });
  }
  if (path.startsWith("/_fake/"))
    throw new ApiError("not_found", `no control route ${method} ${path}`);
  return undefined;
}
