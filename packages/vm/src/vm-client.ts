import type { ArkerClient, CallOptions, GoldenName, Page } from "@arker-ai/core";
import { VM_STATES } from "@arker-ai/core/contract";
import { badRequest, requireId } from "@arker-ai/core/internal";
import {
  type ForkOptions,
  type ForkSourceOptions,
  forkRequest,
  sourceFromString,
} from "./resources/fork-request";
import { forkVm, getVm, type ListVmsOptions, listVms } from "./resources/vms";
import { Vm, type VmInfo } from "./vm";

export { type ListVmsOptions, VM_STATES };

/**
 * Where a fork starts from: a public golden name such as `"ubuntu-full"` (org `ArkerHQ`
 * inferred), a VM id (`"vm_…"`), any other string as a VM name in your org, a {@link Vm}
 * handle, or an options object with exactly one of `sourceVmName` / `sourceVmId`.
 */
export type ForkSource = GoldenName | Vm | ForkSourceOptions;

/**
 * The VM resource client: fork, list, get, and bare handles. Shares one `ArkerClient`
 * (and its connection pool, retries and idempotency keys) with the other clients.
 *
 * @example
 * const vms = new VmClient(new ArkerClient({ region: "us-west-2" }));
 * const vm = await vms.fork("ubuntu-full");
 */
export class VmClient {
  /** The transport this client sends through. */
  readonly client: ArkerClient;

  /** Wraps a core client; sends nothing. */
  constructor(client: ArkerClient) {
    this.client = client;
  }

  /**
   * `POST /v1/fork`: a copy-on-write child of `source`, in constant time. `options` add
   * to (and override) an options-object source. Throws `bad_request` before sending when
   * the source is missing or ambiguous.
   *
   * @example
   * await vms.fork("ubuntu-full");                        // a public golden
   * await vms.fork(vm, { name: "child" });                // an existing VM, by id
   * await vms.fork({ sourceVmName: "base", sourceOrgId: "acme", durable: true });
   */
  async fork(source: ForkSource, options: ForkOptions = {}): Promise<Vm> {
    const sourceOptions = this.#sourceOptions(source);
    const extra: ForkSourceOptions = options ?? {};
    if (extra.sourceVmName !== undefined || extra.sourceVmId !== undefined) {
      throw badRequest("fork needs exactly one source; give it as the first argument only");
    }
    const merged: ForkSourceOptions = { ...sourceOptions, ...extra };
    const body = forkRequest(merged);
    const info = await forkVm(this.client, body, merged);
    return new Vm(this.client, info.vm_id, info);
  }

  /**
   * `GET /v1/vms` on the control plane: VMs across regions, newest first. The page is
   * async-iterable over every VM of every following page.
   */
  async listVms(options: ListVmsOptions = {}): Promise<Page<VmInfo>> {
    return listVms(this.client, options);
  }

  /** `GET /v1/vms/{id}`: one VM's description. */
  async getVm(vmId: string, options?: CallOptions): Promise<VmInfo> {
    return getVm(this.client, requireId(vmId, "vmId"), options);
  }

  /** A handle on a VM by id, without any request (`info` is `null`). */
  vm(vmId: string): Vm {
    return new Vm(this.client, vmId);
  }

  #sourceOptions(source: ForkSource): ForkSourceOptions {
    if (typeof source === "string") return sourceFromString(source);
    if (source instanceof Vm || isVmHandle(source)) return { sourceVmId: source.id };
    if (typeof source === "object" && source !== null) return source;
    throw badRequest("fork needs a source: a golden name, a VM, or { sourceVmName | sourceVmId }");
  }
}

/** A `Vm` from another installed copy of this package fails `instanceof`; its shape does not. */
function isVmHandle(value: unknown): value is { id: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { id?: unknown }).id === "string" &&
    typeof (value as { run?: unknown }).run === "function"
  );
}
