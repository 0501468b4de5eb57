import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import {
  acknowledgement,
  objectDecoder,
  optionalString,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  requireId,
  validateEnv,
  validateLimit,
  validatePath,
  withAsyncDispose,
} from "@arker-ai/core/internal";
import type { CreateSessionRequest, PtyTicketResponse, Session } from "@arker-ai/core/wire";

/**
 * The sessions resource of a VM: shells that keep their own cwd and env between runs.
 *
 * @module
 */

/** Options of `createSession`. */
export interface CreateSessionOptions extends CallOptions {
  /** Environment variables the session starts with (names are shell identifiers). */
  env?: Record<string, string>;
  /** The session's starting directory, an absolute path. Default `/home/user`. */
  cwd?: string;
}

/** Options of `listSessions`. */
export interface ListSessionsOptions extends CallOptions {
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** Decodes a session answer. */
export const decodeSession = objectDecoder<Session>("session", {
  session_id: "string",
  state: "string",
  cwd: "string",
  session_idx: "number",
  env: "object",
  started_at: "string",
});

const decodeDeleted = acknowledgement("session delete");

const CREATE_SESSION_KEYS = optionKeys<CreateSessionOptions>({
  env: true,
  cwd: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});
const LIST_SESSIONS_KEYS = optionKeys<ListSessionsOptions>({
  limit: true,
  cursor: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

const decodePtyTicket = objectDecoder<PtyTicketResponse>("pty ticket", {
  ticket: "string",
  expires_in: "number",
});

/** A short-lived ticket that opens a session's terminal without an Authorization header. */
export interface PtyTicket {
  /** Pass it as `&ticket=…` on the terminal URL; it is a secret until it expires. */
  ticket: string;
  /** Seconds until it expires (about 5 minutes). */
  expiresIn: number;
}

/** Checks session options and builds the `POST /v1/vms/{vm_id}/sessions` body. */
export function createSessionRequest(options: CreateSessionOptions): CreateSessionRequest {
  rejectUnknownOptions(options, CREATE_SESSION_KEYS, "createSession");
  const body: CreateSessionRequest = {};
  const env = validateEnv(options.env);
  if (env !== undefined) body.env = env;
  if (options.cwd !== undefined) body.cwd = validatePath(options.cwd, "cwd");
  return body;
}

/**
 * A session just created: the wire object, plus an async disposer that deletes it, so
 * `await using session = await vm.createSession()` ends it with the scope.
 */
export type CreatedSession = Session & AsyncDisposable;

/** `POST /v1/vms/{vm_id}/sessions`. */
export async function createSession(
  client: ArkerClient,
  vmId: string,
  options: CreateSessionOptions = {},
): Promise<CreatedSession> {
  const body = createSessionRequest(options);
  const { data, requestId } = await client.call(
    "createSession",
    { params: { vm_id: vmId }, body },
    options,
  );
  const session = decodeSession(data, requestId);
  return withAsyncDispose(session, () =>
    deleteSession(client, vmId, session.session_id, undefined),
  );
}

/** `GET /v1/vms/{vm_id}/sessions`, iterable across pages. */
export async function listSessions(
  client: ArkerClient,
  vmId: string,
  options: ListSessionsOptions = {},
): Promise<Page<Session>> {
  rejectUnknownOptions(options, LIST_SESSIONS_KEYS, "listSessions");
  const query = {
    limit: validateLimit(options.limit),
    cursor: optionalString(options.cursor, "cursor"),
  };
  return client.page("listSessions", { params: { vm_id: vmId }, query }, decodeSession, options);
}

/** `GET /v1/vms/{vm_id}/sessions/{session_id}`. */
export async function getSession(
  client: ArkerClient,
  vmId: string,
  sessionId: string,
  options: CallOptions | undefined,
): Promise<Session> {
  rejectUnknownCallOptions(options, "getSession");
  const params = { vm_id: vmId, session_id: requireId(sessionId, "sessionId") };
  const { data, requestId } = await client.call("getSession", { params }, options);
  return decodeSession(data, requestId);
}

/** `DELETE /v1/vms/{vm_id}/sessions/{session_id}`. */
export async function deleteSession(
  client: ArkerClient,
  vmId: string,
  sessionId: string,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "deleteSession");
  const params = { vm_id: vmId, session_id: requireId(sessionId, "sessionId") };
  const { data, requestId } = await client.call("deleteSession", { params }, options);
  decodeDeleted(data, requestId);
}

/** `POST /v1/vms/{vm_id}/sessions/{session_id}/pty-ticket`. */
export async function createPtyTicket(
  client: ArkerClient,
  vmId: string,
  sessionId: string,
  options: CallOptions | undefined,
): Promise<PtyTicket> {
  rejectUnknownCallOptions(options, "ptyTicket");
  const params = { vm_id: vmId, session_id: requireId(sessionId, "sessionId") };
  const { data, requestId } = await client.call("createPtyTicket", { params }, options);
  const answer = decodePtyTicket(data, requestId);
  return { ticket: answer.ticket, expiresIn: answer.expires_in };
}
