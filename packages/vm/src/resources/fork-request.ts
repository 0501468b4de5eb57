import { ARKER_ORG_ID, type CallOptions, type GoldenName, PUBLIC_GOLDENS } from "@arker-ai/core";
import {
  badRequest,
  optionalBoolean,
  optionalString,
  optionKeys,
  rejectUnknownOptions,
} from "@arker-ai/core/internal";
import type { ForkRequest } from "@arker-ai/core/wire";
import { validateDiskMib, validateMemoryMib, validateVcpuCount } from "./resize-request";

/** Options of a fork. Every field is optional; the service picks the defaults. */
export interface ForkOptions extends CallOptions {
  /** A name for the new VM. */
  name?: string;
  /**
   * Survive host failure: runs resume on a healthy host. Default `false` (children of a
   * durable VM are not durable unless asked). Backends without durability answer
   * `unsupported_operation`.
   */
  durable?: boolean;
  /**
   * The org that owns the source. Default: {@link ARKER_ORG_ID} for a public golden name,
   * else your own org.
   */
  sourceOrgId?: string;
  /** Let other orgs fork the new VM. Default `false`. */
  public?: boolean;
  /** Give the VM a disk. Default `true`. */
  disk?: boolean;
  /** Virtual CPUs, 1–64. Default: the source's. */
  vcpuCount?: number;
  /** Memory in MiB, 256–262 144 in steps of 256. Default: the source's. */
  memoryMib?: number;
  /** Disk in MiB, a positive integer. Default: the source's. */
  diskMib?: number;
}

/** A fork source given as an options object: exactly one of `sourceVmName` / `sourceVmId`. */
export interface ForkSourceOptions extends ForkOptions {
  /** The source VM's name (a public golden such as `ubuntu-full`, or a VM in `sourceOrgId`). */
  sourceVmName?: GoldenName;
  /** The source VM's id (`vm_…`). */
  sourceVmId?: string;
}

const FORK_OPTION_KEYS = optionKeys<ForkSourceOptions>({
  sourceVmName: true,
  sourceVmId: true,
  name: true,
  durable: true,
  sourceOrgId: true,
  public: true,
  disk: true,
  vcpuCount: true,
  memoryMib: true,
  diskMib: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

const GOLDENS: ReadonlySet<string> = new Set(PUBLIC_GOLDENS);

/** Whether a name is one of the public goldens, which fork from {@link ARKER_ORG_ID}. */
export function isPublicGolden(name: string): boolean {
  return GOLDENS.has(name);
}

/**
 * Turns a string source into source fields: a public golden name (org inferred), a VM id
 * (`vm_…`), or any other string as a VM name in the caller's org.
 */
export function sourceFromString(source: string): ForkSourceOptions {
  if (source.trim().length === 0) throw badRequest("fork source must be a non-empty string");
  return source.startsWith("vm_") ? { sourceVmId: source } : { sourceVmName: source };
}

/** Validates fork options and builds the `POST /v1/fork` body. */
export function forkRequest(options: ForkSourceOptions): ForkRequest {
  if (typeof options !== "object" || options === null) {
    throw badRequest("fork needs a source: a golden name, a VM, or { sourceVmName | sourceVmId }");
  }
  rejectUnknownOptions(options, FORK_OPTION_KEYS, "fork");
  const name = optionalString(options.sourceVmName, "sourceVmName");
  const id = optionalString(options.sourceVmId, "sourceVmId");
  if ((name === undefined) === (id === undefined)) {
    throw badRequest("fork needs exactly one source: sourceVmName or sourceVmId");
  }
  if ((name ?? id ?? "").trim().length === 0) {
    throw badRequest("fork source must be a non-empty string");
  }
  const body: ForkRequest = {};
  if (id !== undefined) body.source_vm_id = id;
  if (name !== undefined) body.source_vm_name = name;
  const org = optionalString(options.sourceOrgId, "sourceOrgId");
  if (org !== undefined) body.source_org_id = org;
  else if (name !== undefined && isPublicGolden(name)) body.source_org_id = ARKER_ORG_ID;
  const vmName = optionalString(options.name, "name");
  if (vmName !== undefined) body.name = vmName;
  const isPublic = optionalBoolean(options.public, "public");
  if (isPublic !== undefined) body.public = isPublic;
  const disk = optionalBoolean(options.disk, "disk");
  if (disk !== undefined) body.disk = disk;
  const durable = optionalBoolean(options.durable, "durable");
  if (durable !== undefined) body.durable = durable;
  if (options.vcpuCount !== undefined)
    body.vcpu_count = validateVcpuCount(options.vcpuCount, "vcpuCount");
  if (options.memoryMib !== undefined)
    body.memory_mib = validateMemoryMib(options.memoryMib, "memoryMib");
  if (options.diskMib !== undefined) body.disk_mib = validateDiskMib(options.diskMib, "diskMib");
  return body;
}
