import { notFound } from "../support/errors.js";
import { randomToken } from "../support/secrets.js";
import type { SessionRecord, VmRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The sessions of every VM, and each VM's next session index.
 *
 * @module
 */

/** How long a PTY ticket opens its session's terminal, in seconds (seen: about 5 minutes). */
export const PTY_TICKET_TTL_SECONDS = 300;

/** A ticket standing in for the API key on one session's terminal, until it expires. */
export interface PtyTicketRecord {
  ticket: string;
  sessionId: string;
  vmId: string;
  /** The org that asked for it: the terminal opens as that org. */
  orgId: string;
  /** Fake-clock epoch milliseconds. */
  expiresAt: number;
}

/** The sessions of one fake, by VM. */
export class SessionStore {
  readonly #context: StoreContext;
  readonly #byVm = new Map<string, Map<string, SessionRecord>>();
  readonly #nextIdx = new Map<string, number>();
  readonly #ptyTickets = new Map<string, PtyTicketRecord>();

  /** Creates an empty store. */
  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** Creates a session with the VM's next index (or with `idx`, to recreate one). */
  create(vm: VmRecord, env: Record<string, string>, cwd: string, idx?: number): SessionRecord {
    const id = this.#context.ids.next("sess");
    let sessionIdx = idx;
    if (sessionIdx === undefined) {
      sessionIdx = this.#nextIdx.get(vm.id) ?? 0;
      this.#nextIdx.set(vm.id, sessionIdx + 1);
    }
    const session: SessionRecord = {
      id,
      vmId: vm.id,
      idx: sessionIdx,
      seq: this.#context.sequence.next(),
      cwd,
      env: { ...env },
      startedAt: this.#context.clock.now(),
    };
    let sessions = this.#byVm.get(vm.id);
    if (sessions === undefined) {
      sessions = new Map();
      this.#byVm.set(vm.id, sessions);
    }
    sessions.set(session.id, session);
    return session;
  }

  /** A session of the VM by id; else 404. */
  find(vm: VmRecord, sessionId: string): SessionRecord {
    const session = this.#byVm.get(vm.id)?.get(sessionId);
    if (session === undefined) throw notFound(`session not found: ${sessionId}`);
    return session;
  }

  /** The session of the VM with this index, if any. */
  byIndex(vm: VmRecord, idx: number): SessionRecord | undefined {
    for (const session of this.#byVm.get(vm.id)?.values() ?? []) {
      if (session.idx === idx) return session;
    }
    return undefined;
  }

  /** The VM's sessions, oldest first. */
  list(vm: VmRecord): SessionRecord[] {
    return [...(this.#byVm.get(vm.id)?.values() ?? [])];
  }

  /** Issues a random ticket for the session's terminal, valid {@link PTY_TICKET_TTL_SECONDS}. */
  issuePtyTicket(session: SessionRecord, orgId: string): PtyTicketRecord {
    const record: PtyTicketRecord = {
      ticket: `ptyt_${randomToken(32)}`,
      orgId,
      sessionId: session.id,
      vmId: session.vmId,
      expiresAt: this.#context.clock.now() + PTY_TICKET_TTL_SECONDS * 1000,
    };
    this.#ptyTickets.set(record.ticket, record);
    return record;
  }

  /** The unexpired ticket with this value, if any (what the terminal route will check). */
  ptyTicket(ticket: string): PtyTicketRecord | undefined {
    const record = this.#ptyTickets.get(ticket);
    if (record === undefined || record.expiresAt <= this.#context.clock.now()) return undefined;
    return record;
  }

  /** Forgets a session and its tickets. */
  remove(session: SessionRecord): void {
    this.#byVm.get(session.vmId)?.delete(session.id);
    for (const [ticket, record] of this.#ptyTickets) {
      if (record.sessionId === session.id) this.#ptyTickets.delete(ticket);
    }
  }

  /** Forgets every session of a deleted VM. */
  removeVm(vm: VmRecord): void {
    this.#byVm.delete(vm.id);
    this.#nextIdx.delete(vm.id);
    for (const [ticket, record] of this.#ptyTickets) {
      if (record.vmId === vm.id) this.#ptyTickets.delete(ticket);
    }
  }

  /** Forgets every session. */
  clear(): void {
    this.#byVm.clear();
    this.#nextIdx.clear();
    this.#ptyTickets.clear();
  }
}
