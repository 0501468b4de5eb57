import type { ArkerClient, CallOptions } from "@arker-ai/core";
import {
  badRequest,
  optionalBoolean,
  optionKeys,
  rejectUnknownOptions,
  requireId,
} from "@arker-ai/core/internal";
import type { PtyQuery } from "@arker-ai/core/wire";
import { maxBufferedBytesOr, Pty, terminalSide } from "./pty-handle";
import { createSession } from "./sessions";

/**
 * A session's terminal over a WebSocket (`GET …/sessions/{id}/pty`, docs/arker-api.md
 * §4): `openPty` for an interactive shell or one command, `spawn` for the live output
 * of one command in a session of its own.
 *
 * @module
 */

/** Options of `vm.pty`. */
export interface PtyOptions extends Pick<CallOptions, "signal" | "timeoutMs"> {
  /** The session whose terminal to open (its cwd and env are shared with its runs). */
  sessionId: string;
  /** Columns, an integer from 1 to 1000. Default 80 (the service's). */
  cols?: number;
  /** Rows, an integer from 1 to 1000. Default 24 (the service's). */
  rows?: number;
  /** One command instead of a shell: the terminal ends with it, `exited` has its code. */
  command?: string;
  /**
   * `true` (the service's default): the terminal outlives the connection and a later
   * `pty` on the session reattaches. `false`: closing ends it and the session.
   */
  persist?: boolean;
  /** A ticket of `vm.ptyTicket` to open with instead of the API key. */
  ticket?: string;
  /**
   * Unread output kept, in bytes (default 16 MiB); past it the terminal's connection
   * closes and reading fails with `payload_too_large` (see {@link Pty}).
   */
  maxBufferedBytes?: number;
}

/** Options of `vm.spawn`. */
export interface SpawnOptions extends Pick<CallOptions, "signal" | "timeoutMs"> {
  /** Run in this session (its cwd and env); default: a new session, deleted at the end. */
  sessionId?: string;
  /** The new session's working directory (not with `sessionId`). */
  cwd?: string;
  /** The new session's environment (not with `sessionId`). */
  env?: Record<string, string>;
  /** Terminal columns, 1–1000. */
  cols?: number;
  /** Terminal rows, 1–1000. */
  rows?: number;
  /** Unread output kept, in bytes (default 16 MiB); see {@link PtyOptions.maxBufferedBytes}. */
  maxBufferedBytes?: number;
}

const PTY_KEYS = optionKeys<PtyOptions>({
  sessionId: true,
  cols: true,
  rows: true,
  command: true,
  persist: true,
  ticket: true,
  maxBufferedBytes: true,
  signal: true,
  timeoutMs: true,
});
const SPAWN_KEYS = optionKeys<SpawnOptions>({
  sessionId: true,
  cwd: true,
  env: true,
  cols: true,
  rows: true,
  maxBufferedBytes: true,
  signal: true,
  timeoutMs: true,
});

/** Checks `vm.pty`'s options and builds the route's query. */
export function ptyQuery(options: PtyOptions): PtyQuery {
  rejectUnknownOptions(options, PTY_KEYS, "pty");
  const query: PtyQuery = {};
  const cols = terminalSide(options.cols, "cols");
  const rows = terminalSide(options.rows, "rows");
  if (cols !== undefined) query.cols = cols;
  if (rows !== undefined) query.rows = rows;
  const persist = optionalBoolean(options.persist, "persist");
  if (persist !== undefined) query.persist = persist;
  if (options.command !== undefined) query.command = requireId(options.command, "command");
  if (options.ticket !== undefined) query.ticket = requireId(options.ticket, "ticket");
  return query;
}

/** `GET /v1/vms/{vm_id}/sessions/{session_id}/pty`, upgraded: an open {@link Pty}. */
export async function openPty(
  client: ArkerClient,
  vmId: string,
  options: PtyOptions,
): Promise<Pty> {
  if (options === null || typeof options !== "object")
    throw badRequest("pty needs options with a sessionId");
  const sessionId = requireId(options.sessionId, "sessionId");
  const query = ptyQuery(options);
  const maxBufferedBytes = maxBufferedBytesOr(options.maxBufferedBytes);
  const socket = await client.connect(
    "openPty",
    { params: { vm_id: vmId, session_id: sessionId }, query },
    { signal: options.signal, timeoutMs: options.timeoutMs },
  );
  return new Pty(socket, maxBufferedBytes);
}

/**
 * Runs one command over a terminal and returns it at once: iterate it for the output as
 * it comes (a terminal's: `\r\n` line ends, stdout and stderr together), await
 * `exited` for the exit code.
 */
export async function spawn(
  client: ArkerClient,
  vmId: string,
  command: string,
  options: SpawnOptions = {},
): Promise<Pty> {
  requireId(command, "command");
  rejectUnknownOptions(options, SPAWN_KEYS, "spawn");
  // Checked before a session is made for the command, which a refusal would leave behind.
  maxBufferedBytesOr(options.maxBufferedBytes);
  terminalSide(options.cols, "cols");
  terminalSide(options.rows, "rows");
  const controls = { signal: options.signal, timeoutMs: options.timeoutMs };
  const size = {
    cols: options.cols,
    rows: options.rows,
    ...(options.maxBufferedBytes === undefined
      ? {}
      : { maxBufferedBytes: options.maxBufferedBytes }),
  };
  if (options.sessionId !== undefined) {
    if (options.cwd !== undefined || options.env !== undefined)
      throw badRequest("cwd and env set up a new session: leave them out with sessionId");
    return openPty(client, vmId, { ...controls, ...size, sessionId: options.sessionId, command });
  }
  const session = await createSession(client, vmId, {
    ...controls,
    cwd: options.cwd,
    env: options.env,
  });
  return openPty(client, vmId, {
    ...controls,
    ...size,
    sessionId: session.session_id,
    command,
    persist: false,
  });
}
