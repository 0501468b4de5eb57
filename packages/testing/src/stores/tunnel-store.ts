import { notFound } from "../support/errors.js";
import type { TunnelRecord, VmRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The open tunnels of each VM, by port (one tunnel per port).
 *
 * @module
 */

/** What a new tunnel is made of; the store adds its order and start time. */
export type TunnelInit = Omit<TunnelRecord, "seq" | "startedAt">;

/** The tunnels of one fake. */
export class TunnelStore {
  readonly #context: StoreContext;
  readonly #byVm = new Map<string, Map<number, TunnelRecord>>();

  /** Creates an empty store. */
  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** Opens a tunnel, or answers the one already open on that port (unchanged). */
  open(init: TunnelInit): TunnelRecord {
    let tunnels = this.#byVm.get(init.vmId);
    if (tunnels === undefined) {
      tunnels = new Map();
      this.#byVm.set(init.vmId, tunnels);
    }
    const existing = tunnels.get(init.port);
    if (existing !== undefined) return existing;
    const tunnel: TunnelRecord = {
      ...init,
      seq: this.#context.sequence.next(),
      startedAt: this.#context.clock.now(),
    };
    tunnels.set(tunnel.port, tunnel);
    return tunnel;
  }

  /** The VM's tunnel on `port`, if open. */
  get(vmId: string, port: number): TunnelRecord | undefined {
    return this.#byVm.get(vmId)?.get(port);
  }

  /** The VM's tunnel on `port`; else 404. */
  find(vm: VmRecord, port: number): TunnelRecord {
    const tunnel = this.get(vm.id, port);
    if (tunnel === undefined) throw notFound(`tunnel not found: ${vm.id} port ${port}`);
    return tunnel;
  }

  /** The VM's tunnels, oldest first. */
  list(vm: VmRecord): TunnelRecord[] {
    return [...(this.#byVm.get(vm.id)?.values() ?? [])];
  }

  /** Closes a tunnel. */
  remove(tunnel: TunnelRecord): void {
    this.#byVm.get(tunnel.vmId)?.delete(tunnel.port);
  }

  /** Closes every tunnel of a deleted VM. */
  removeVm(vm: VmRecord): void {
    this.#byVm.delete(vm.id);
  }

  /** Forgets every tunnel. */
  clear(): void {
    this.#byVm.clear();
  }
}
