import type { RouteResponse } from "@arker-ai/core/contract";
import { HOME_DIRECTORY } from "../engine/fake-state.js";
import { PTY_TICKET_TTL_SECONDS } from "../stores/session-store.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Session routes.
 *
 * @module
 */

/** The session handlers. */
export const sessionHandlers: Pick<
  ApiHandlers,
  "createSession" | "listSessions" | "getSession" | "deleteSession" | "createPtyTicket"
> = {
  createSession: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const env = body.env("env") ?? {};
    const cwd = body.path("cwd") ?? HOME_DIRECTORY;
    return state.sessionView(state.sessions.create(vm, env, cwd));
  },

  listSessions: ({ state, orgId, params, query }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    return listPage(query, "sessions", state.sessions.list(vm), (session) =>
      state.sessionView(session),
    );
  },

  getSession: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    return state.sessionView(state.sessions.find(vm, params.session_id));
  },

  createPtyTicket: ({ state, orgId, params }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const ticket = state.sessions.issuePtyTicket(state.sessions.find(vm, params.session_id), orgId);
    return {
      ticket: ticket.ticket,
      expires_in: PTY_TICKET_TTL_SECONDS,
    } satisfies RouteResponse<"createPtyTicket">;
  },

  deleteSession: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    state.deleteSession(state.sessions.find(vm, params.session_id));
    return { deleted: true } satisfies RouteResponse<"deleteSession">;
  },
};
