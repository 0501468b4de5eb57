import { randomToken } from "../support/secrets.js";
import type { Terminal } from "./terminal.js";

/**
 * The fake's terminals: the shell terminal of each session (a client that reconnects
 * to a persistent one reattaches), and the grants the PTY route hands to the door that
 * upgrades the connection.
 *
 * @module
 */

/** How long the door has to take a grant after the route answered, in ms (real time). */
const GRANT_MS = 10_000;

interface Grant {
  open: () => Terminal;
  expiresAt: number;
}

/** Where a terminal belongs. */
export interface TerminalKey {
  vmId: string;
  sessionId: string;
}

/** The terminals of one fake. */
export class TerminalStore {
  readonly #shells = new Map<string, { key: TerminalKey; terminal: Terminal }>();
  readonly #commands = new Set<{ key: TerminalKey; terminal: Terminal }>();
  readonly #grants = new Map<string, Grant>();

  /** The live shell terminal of a session, if any. */
  shellOf(key: TerminalKey): Terminal | undefined {
    const entry = this.#shells.get(key.sessionId);
    return entry === undefined || entry.terminal.ended ? undefined : entry.terminal;
  }

  /** Keeps a new terminal: the session's shell, or one command's. */
  add(key: TerminalKey, terminal: Terminal, shell: boolean): void {
    if (shell) this.#shells.set(key.sessionId, { key, terminal });
    else this.#commands.add({ key, terminal });
  }

  /** Forgets an ended terminal. */
  remove(terminal: Terminal): void {
    for (const [sessionId, entry] of this.#shells)
      if (entry.terminal === terminal) this.#shells.delete(sessionId);
    for (const entry of this.#commands)
      if (entry.terminal === terminal) this.#commands.delete(entry);
  }

  /** Grants one upgrade: returns the id the door redeems with {@link take}. */
  grant(open: () => Terminal): string {
    const now = Date.now();
    for (const [id, grant] of this.#grants) if (grant.expiresAt <= now) this.#grants.delete(id);
    const id = `term_${randomToken(24)}`;
    this.#grants.set(id, { open, expiresAt: now + GRANT_MS });
    return id;
  }

  /** Redeems a grant once: the terminal to attach, or `undefined` if unknown or expired. */
  take(id: string): Terminal | undefined {
    const grant = this.#grants.get(id);
    this.#grants.delete(id);
    if (grant === undefined || grant.expiresAt <= Date.now()) return undefined;
    return grant.open();
  }

  /** Ends the terminals that match (a deleted session or VM; everything on reset). */
  endWhere(match: (key: TerminalKey) => boolean, exitCode: number): void {
    const entries = [...this.#shells.values(), ...this.#commands];
    for (const { key, terminal } of entries) if (match(key)) terminal.end(exitCode);
  }
}
