import type { FakeState } from "../engine/fake-state.js";
import type { SessionRecord, VmRecord } from "../stores/records.js";
import { badRequest } from "../support/errors.js";
import { clampSide, Terminal, type TerminalOptions } from "../terminal/terminal.js";
import { type ApiHandlers, UpgradeAnswer } from "./handler-types.js";

/**
 * The PTY route (`GET /v1/vms/{id}/sessions/{session_id}/pty`, upgraded to a WebSocket):
 * checks the VM and session and the query, then answers with the terminal the door
 * attaches the upgraded connection to — the session's live shell terminal when there is
 * one (reattach), else a new one. Each line typed is a run of the session.
 *
 * @module
 */

const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;

function side(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw badRequest(`${name} must be an integer`);
  return clampSide(Number(text));
}

function persistOf(text: string | undefined): boolean {
  if (text === undefined) return true;
  if (text !== "true" && text !== "false") throw badRequest("persist must be true or false");
  return text === "true";
}

/** The terminal host over a session of the fake: its runs, its cwd, its end. */
function openTerminal(
  state: FakeState,
  vm: VmRecord,
  session: SessionRecord,
  options: TerminalOptions,
): Terminal {
  const key = { vmId: vm.id, sessionId: session.id };
  const terminal: Terminal = new Terminal(
    {
      hostname: vm.name ?? vm.id,
      cwd: () => session.cwd,
      run: (command, io) => {
        // The host went away under the terminal: the shell goes with it (as a run would).
        if (vm.failed) {
          io.write(new TextEncoder().encode(`arker-fake: the host of ${vm.id} failed\n`));
          io.ended(137, true);
          return;
        }
        const { cols, rows } = io.size();
        void state.runner.start(vm, session, {
          command,
          background: false,
          timeoutMs: 0,
          env: { TERM: "xterm-256color", COLUMNS: String(cols), LINES: String(rows) },
          cwd: undefined,
          terminal: io,
        });
      },
      interrupt: (io) => state.runner.interruptTerminal(io),
      ended: (ended) => {
        state.terminals.remove(ended);
        if (!ended.persist && state.sessions.list(vm).includes(session))
          state.deleteSession(session);
      },
    },
    options,
  );
  state.terminals.add(key, terminal, options.command === undefined);
  return terminal;
}

/** The PTY handler. */
export const ptyHandlers: Pick<ApiHandlers, "openPty"> = {
  openPty: ({ state, orgId, params, query }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const session = state.sessions.find(vm, params.session_id);
    const options: TerminalOptions = {
      cols: side(query.string("cols"), "cols", DEFAULT_COLS),
      rows: side(query.string("rows"), "rows", DEFAULT_ROWS),
      persist: persistOf(query.string("persist")),
      command: query.string("command"),
    };
    return new UpgradeAnswer(() => {
      if (options.command === undefined) {
        const live = state.terminals.shellOf({ vmId: vm.id, sessionId: session.id });
        if (live !== undefined) {
          live.resize(options.cols, options.rows);
          live.persist = options.persist;
          return live;
        }
      }
      return openTerminal(state, vm, session, options);
    });
  },
};
