import {
  type ArkerClient,
  apiPath,
  badRequest,
  type CallOptions,
  callControls,
  optionalOneOf,
  optionalString,
  optionalTimestamp,
  type Page,
  requireId,
  validateLimit,
} from "@arker-ai/core";
import type { VmState } from "@arker-ai/core/wire";
import { expectVm, sendFork } from "./fork";
import {
  type ForkOptions,
  type ForkSourceOptions,
  forkRequest,
  sourceFromString,
} from "./fork-request";
import { Vm, type VmInfo } from "./vm";

/**
 * Where a fork starts from: a public golden name such as `"ubuntu-full"` (org `ArkerHQ`
 * inferred), a VM id (`"vm_…"`), any other string as a VM name in your org, a {@link Vm}
 * handle, or an options object with exactly one of `sourceVmName` / `sourceVmId`.
 */
export type ForkSource = string | Vm | ForkSourceOptions;

/** The VM states a list can filter on. */
export const VM_STATES: readonly VmState[] = ["idle", "running", "failed"];

/** Options of `listVms`. */
export interface ListVmsOptions extends CallOptions {
  /** Only VMs in this state (`running` = a run in flight). */
  state?: VmState;
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
  /** Only VMs in this region, e.g. `us-west-2`. */
  region?: string;
  /** Only VMs of this provider (`aws`, `aws-burst`). */
  provider?: string;
  /** Only VMs of this org; `ArkerHQ` lists the public goldens. */
  sourceOrgId?: string;
  /** Only VMs started after this instant. */
  startedAfter?: string | Date;
  /** Only VMs started before this instant. */
  startedBefore?: string | Date;
}

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
    const info = await sendFork(this.client, body, merged);
    return new Vm(this.client, info.vm_id, info);
  }

  /**
   * `GET /v1/vms` on the control plane: VMs across regions, newest first. The page is
   * async-iterable over every VM of every following page.
   */
  async listVms(options: ListVmsOptions = {}): Promise<Page<VmInfo>> {
    return this.client.list<VmInfo>(
      {
        method: "GET",
        path: "/v1/vms",
        host: "control",
        query: {
          state: optionalOneOf(options.state, VM_STATES, "state"),
          limit: validateLimit(options.limit),
          cursor: optionalString(options.cursor, "cursor"),
          region: optionalString(options.region, "region"),
          provider: optionalString(options.provider, "provider"),
          source_org_id: optionalString(options.sourceOrgId, "sourceOrgId"),
          started_after: optionalTimestamp(options.startedAfter, "startedAfter"),
          started_before: optionalTimestamp(options.startedBefore, "startedBefore"),
        },
        ...callControls(options),
      },
      "vms",
    );
  }

  /** `GET /v1/vms/{id}`: one VM's description. */
  async getVm(vmId: string, options?: CallOptions): Promise<VmInfo> {
    requireId(vmId, "vmId");
    const { data, requestId } = await this.client.request<unknown>({
      method: "GET",
      path: apiPath`/v1/vms/${vmId}`,
      ...callControls(options),
    });
    return expectVm(data, requestId);
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
