import type { ListSessionsResponse } from "@arker-ai/core/wire";
import { sessionView } from "../engine/views.js";
import { paginate } from "../pagination.js";
import { notFound } from "../support/errors.js";
import { optionalCwd, optionalEnv } from "./fields.js";
import { ok, type Route } from "./route.js";

/**
 * Session routes.
 *
 * @module
 */

/** The session routes. */
export const sessionRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/vms/:vm/sessions",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params, body }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const env = optionalEnv(body, "env") ?? {};
      const cwd = optionalCwd(body, "cwd") ?? "/home/user";
      return ok(sessionView(state.createSession(vm, env, cwd)));
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/sessions",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params, query }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const page = paginate(vm.sessions.values(), query);
      return ok({
        sessions: page.items.map(sessionView),
        next_cursor: page.nextCursor,
      } satisfies ListSessionsResponse);
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/sessions/:session",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const session = vm.sessions.get(params.session!);
      if (session === undefined) throw notFound(`session not found: ${params.session}`);
      return ok(sessionView(session));
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/vms/:vm/sessions/:session",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const session = vm.sessions.get(params.session!);
      if (session === undefined) throw notFound(`session not found: ${params.session}`);
      state.deleteSession(vm, session);
      return ok({ deleted: true });
    },
  },
];
