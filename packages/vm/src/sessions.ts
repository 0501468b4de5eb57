import {
  type ArkerClient,
  apiPath,
  type CallOptions,
  callControls,
  type Page,
  requireId,
  validateEnv,
  validateLimit,
} from "@arker-ai/core";
import type { CreateSessionRequest, Session } from "@arker-ai/core/wire";

/** Options of `createSession`. */
export interface CreateSessionOptions extends CallOptions {
  /** Environment variables the session starts with. */
  env?: Record<string, string>;
  /** The session's starting directory. Default `/home/user`. */
  cwd?: string;
}

/** Options of `listSessions`. */
export interface ListSessionsOptions extends CallOptions {
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** `POST /v1/vms/{id}/sessions`. */
export async function createSession(
  client: ArkerClient,
  vmId: string,
  options: CreateSessionOptions = {},
): Promise<Session> {
  const body: CreateSessionRequest = {};
  const env = validateEnv(options.env);
  if (env !== undefined) body.env = env;
  if (options.cwd !== undefined) body.cwd = requireId(options.cwd, "cwd");
  const { data } = await client.request<Session>({
    method: "POST",
    path: apiPath`/v1/vms/${vmId}/sessions`,
    body,
    ...callControls(options),
  });
  return data;
}

/** `GET /v1/vms/{id}/sessions`. */
export async function listSessions(
  client: ArkerClient,
  vmId: string,
  options: ListSessionsOptions = {},
): Promise<Page<Session>> {
  return client.list<Session>(
    {
      method: "GET",
      path: apiPath`/v1/vms/${vmId}/sessions`,
      query: { limit: validateLimit(options.limit), cursor: options.cursor },
      ...callControls(options),
    },
    "sessions",
  );
}

/** `GET /v1/vms/{id}/sessions/{session_id}`. */
export async function getSession(
  client: ArkerClient,
  vmId: string,
  sessionId: string,
  options?: CallOptions,
): Promise<Session> {
  requireId(sessionId, "sessionId");
  const { data } = await client.request<Session>({
    method: "GET",
    path: apiPath`/v1/vms/${vmId}/sessions/${sessionId}`,
    ...callControls(options),
  });
  return data;
}

/** `DELETE /v1/vms/{id}/sessions/{session_id}`. */
export async function deleteSession(
  client: ArkerClient,
  vmId: string,
  sessionId: string,
  options?: CallOptions,
): Promise<void> {
  requireId(sessionId, "sessionId");
  await client.request<unknown>({
    method: "DELETE",
    path: apiPath`/v1/vms/${vmId}/sessions/${sessionId}`,
    ...callControls(options),
  });
}
