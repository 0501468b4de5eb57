import { ApiError, notFound } from "../support/errors.js";
import type { VmRecord } from "./records.js";
import type { StoreContext } from "./store-context.js";

/**
 * The VMs of one fake (goldens included) and who may see or change each.
 *
 * @module
 */

/** What a new VM is made of; the store adds its id, order, times and placement. */
export type VmInit = Omit<
  VmRecord,
  "id" | "seq" | "createdAt" | "startedAt" | "region" | "provider" | "failed"
>;

/** A VM's size. */
export interface VmSize {
  vcpuCount: number;
  memoryMib: number;
  diskMib: number;
}

/** Where the fake says its VMs run. */
export interface VmPlacement {
  region: string;
  provider: string;
}

/** The VMs of one fake. */
export class VmStore {
  readonly #context: StoreContext;
  readonly #placement: VmPlacement;
  readonly #vms = new Map<string, VmRecord>();

  /** Creates an empty store. */
  constructor(context: StoreContext, placement: VmPlacement) {
    this.#context = context;
    this.#placement = placement;
  }

  /** Creates and keeps a VM. */
  create(init: VmInit): VmRecord {
    const now = this.#context.clock.now();
    const vm: VmRecord = {
      ...init,
      id: this.#context.ids.next("vm"),
      seq: this.#context.sequence.next(),
      createdAt: now,
      startedAt: now,
      region: this.#placement.region,
      provider: this.#placement.provider,
      failed: false,
    };
    this.#vms.set(vm.id, vm);
    return vm;
  }

  /** A VM by id, whoever owns it. */
  get(vmId: string): VmRecord | undefined {
    return this.#vms.get(vmId);
  }

  /** A VM the org may read (its own, or a public one); else 404. */
  visible(orgId: string, vmId: string): VmRecord {
    const vm = this.#vms.get(vmId);
    if (vm === undefined || (vm.ownerOrgId !== orgId && !vm.public))
      throw notFound(`vm not found: ${vmId}`);
    return vm;
  }

  /**
   * A VM the org may use: as {@link VmStore.owned}, and 409 `conflict` naming its state
   * when its host failed (runs, files, sessions, mounts and resizes need a host).
   */
  usable(orgId: string, vmId: string): VmRecord {
    const vm = this.owned(orgId, vmId);
    assertUsable(vm);
    return vm;
  }

  /** A VM the org may change: its own; another org's public VM → 403; else 404. */
  owned(orgId: string, vmId: string): VmRecord {
    const vm = this.visible(orgId, vmId);
    if (vm.ownerOrgId !== orgId)
      throw new ApiError("forbidden", `vm ${vmId} belongs to another org`);
    return vm;
  }

  /** The newest VM of `ownerOrgId` named `name` that `viewerOrgId` may read. */
  newestNamed(
    ownerOrgId: string,
    name: string | undefined,
    viewerOrgId: string,
  ): VmRecord | undefined {
    let newest: VmRecord | undefined;
    for (const vm of this.#vms.values()) {
      if (vm.ownerOrgId !== ownerOrgId || vm.name !== name) continue;
      if (vm.ownerOrgId !== viewerOrgId && !vm.public) continue;
      if (newest === undefined || vm.seq > newest.seq) newest = vm;
    }
    return newest;
  }

  /** Every VM, oldest first. */
  all(): VmRecord[] {
    return [...this.#vms.values()];
  }

  /** Sets a VM's size (already checked). */
  resize(vm: VmRecord, size: VmSize): void {
    vm.vcpuCount = size.vcpuCount;
    vm.memoryMib = size.memoryMib;
    vm.diskMib = size.diskMib;
  }

  /** Forgets a VM. */
  remove(vm: VmRecord): void {
    this.#vms.delete(vm.id);
  }

  /** Forgets every VM. */
  clear(): void {
    this.#vms.clear();
  }
}

/** Throws 409 `conflict` naming the state of a VM whose host failed. */
export function assertUsable(vm: VmRecord): void {
  if (vm.failed) {
    throw new ApiError(
      "conflict",
      `vm ${vm.id} is failed: its host failed and it was not durable; delete it and fork again`,
    );
  }
}
