import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import { VM_STATES } from "@arker-ai/core/contract";
import {
  acknowledgement,
  objectDecoder,
  optionalString,
  optionalTimestamp,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
} from "@arker-ai/core/internal";
import type { ForkRequest, ForkResponse, VmState, Vm as WireVm } from "@arker-ai/core/wire";
import { statePageQuery } from "./page-query";
import { type ResizeSize, resizeRequest } from "./resize-request";
import { decodeSession } from "./sessions";

/**
 * The VM lifecycle resource: fork, list, get, resize, delete — each one call of the
 * route table, every answer decoded.
 *
 * @module
 */

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

const LIST_VMS_KEYS = optionKeys<ListVmsOptions>({
  state: true,
  limit: true,
  cursor: true,
  region: true,
  provider: true,
  sourceOrgId: true,
  startedAfter: true,
  startedBefore: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

const FORKED_VM_FIELDS = {
  vm_id: "string",
  owner_org_id: "string",
  created_at: "string",
  public: "boolean",
  state: "string",
  sessions: "array",
  name: "string|null",
  root_source_vm_id: "string|null",
  root_source_vm_name: "string|null",
  region: "string",
  provider: "string",
  started_at: "string",
  durable: "boolean",
} as const;

const decodeVmFields = objectDecoder<WireVm>("VM", {
  ...FORKED_VM_FIELDS,
  vcpu_count: "number",
  memory_mib: "number",
  disk_mib: "number",
});

// The fork answer has no size (issue 11, item 3): nothing may depend on it after a fork.
const decodeForkedFields = objectDecoder<ForkResponse>("forked VM", FORKED_VM_FIELDS);

/** Decodes a VM answer, its sessions included. */
export function decodeVm(data: unknown, requestId: string | null): WireVm {
  const vm = decodeVmFields(data, requestId);
  for (const session of vm.sessions as unknown[]) decodeSession(session, requestId);
  return vm;
}

/** `POST /v1/fork` with a body built by `forkRequest`; the answer has no size fields. */
export async function forkVm(
  client: ArkerClient,
  body: ForkRequest,
  options: CallOptions | undefined,
): Promise<ForkResponse> {
  const { data, requestId } = await client.call("fork", { body }, options);
  const vm = decodeForkedFields(data, requestId);
  for (const session of vm.sessions as unknown[]) decodeSession(session, requestId);
  return vm;
}

/** `GET /v1/vms` on the control plane, newest first, iterable across pages. */
export async function listVms(
  client: ArkerClient,
  options: ListVmsOptions = {},
): Promise<Page<WireVm>> {
  rejectUnknownOptions(options, LIST_VMS_KEYS, "listVms");
  const query = {
    ...statePageQuery(options, VM_STATES),
    region: optionalString(options.region, "region"),
    provider: optionalString(options.provider, "provider"),
    source_org_id: optionalString(options.sourceOrgId, "sourceOrgId"),
    started_after: optionalTimestamp(options.startedAfter, "startedAfter"),
    started_before: optionalTimestamp(options.startedBefore, "startedBefore"),
  };
  return client.page("listVms", { query }, decodeVm, options);
}

/** `GET /v1/vms/{vm_id}`. */
export async function getVm(
  client: ArkerClient,
  vmId: string,
  options: CallOptions | undefined,
): Promise<WireVm> {
  rejectUnknownCallOptions(options, "getVm");
  const { data, requestId } = await client.call("getVm", { params: { vm_id: vmId } }, options);
  return decodeVm(data, requestId);
}

const decodeResized = acknowledgement("resize");
const decodeDeleted = acknowledgement("VM delete");

/** `POST /v1/vms/{vm_id}/resize`, checked before sending (see `resizeRequest`). */
export async function resizeVm(
  client: ArkerClient,
  vmId: string,
  size: ResizeSize,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "resize");
  const body = resizeRequest(size);
  const { data, requestId } = await client.call(
    "resizeVm",
    { params: { vm_id: vmId }, body },
    options,
  );
  decodeResized(data, requestId);
}

/** `DELETE /v1/vms/{vm_id}`. */
export async function deleteVm(
  client: ArkerClient,
  vmId: string,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "delete");
  const { data, requestId } = await client.call("deleteVm", { params: { vm_id: vmId } }, options);
  decodeDeleted(data, requestId);
}
