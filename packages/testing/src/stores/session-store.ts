import { notFound } from "../support/errors.js";
import type { SessionRecord, VmRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The sessions of every VM, and each VM's next session index.
 *
 * @module
 */

/** The sessions of one fake, by VM. */
export class SessionStore {
  readonly #context: StoreContext;
  readonly #byVm = new Map<string, Map<string, SessionRecord>>();
  readonly #nextIdx = new Map<string, number>();

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

  /** Forgets a session. */
  remove(session: SessionRecord): void {
    this.#byVm.get(session.vmId)?.delete(session.id);
  }

  /** Forgets every session of a deleted VM. */
  removeVm(vm: VmRecord): void {
    this.#byVm.delete(vm.id);
    this.#nextIdx.delete(vm.id);
  }

  /** Forgets every session. */
  clear(): void {
    this.#byVm.clear();
    this.#nextIdx.clear();
  }
}
