import { RESIZE_LIMITS } from "@arker-ai/core";
import { badRequest, rejectUnknownOptions } from "@arker-ai/core/internal";
import type { ResizeRequest } from "@arker-ai/core/wire";

/**
 * New machine size, in the wire's names as the README shows them. At least one field.
 * Disk can only grow; the service enforces that.
 */
export interface ResizeSize {
  /** Virtual CPUs, an integer from 1 to 64. */
  vcpu_count?: number;
  /** Memory in MiB, from 256 to 262 144 in steps of 256. */
  memory_mib?: number;
  /** Disk in MiB, a positive integer no smaller than the current disk. */
  disk_mib?: number;
}

/** Checks a vCPU count: an integer within {@link RESIZE_LIMITS}. */
export function validateVcpuCount(value: unknown, what = "vcpu_count"): number {
  const { min, max } = RESIZE_LIMITS.vcpu;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${what} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

/** Checks a memory size in MiB: within {@link RESIZE_LIMITS}, a multiple of 256. */
export function validateMemoryMib(value: unknown, what = "memory_mib"): number {
  const { min, max, step } = RESIZE_LIMITS.memoryMib;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < min ||
    value > max ||
    value % step !== 0
  ) {
    throw badRequest(
      `${what} must be an integer from ${min} to ${max} in steps of ${step}; got ${String(value)}`,
    );
  }
  return value;
}

/** Checks a disk size in MiB: a positive integer. */
export function validateDiskMib(value: unknown, what = "disk_mib"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw badRequest(`${what} must be a positive integer; got ${String(value)}`);
  }
  return value;
}

/**
 * The keys a resize size may have: the wire's names, which the seed's README shows, and
 * their camelCase forms (issue 14), so neither spelling is refused as unknown.
 */
const RESIZE_SIZE_KEYS = [
  "vcpu_count",
  "memory_mib",
  "disk_mib",
  "vcpuCount",
  "memoryMib",
  "diskMib",
] as const;

/** Validates a resize and builds its wire body; throws `bad_request` before any request. */
export function resizeRequest(size: ResizeSize): ResizeRequest {
  if (typeof size !== "object" || size === null) {
    throw badRequest("resize needs an object with vcpu_count, memory_mib or disk_mib");
  }
  rejectUnknownOptions(size, RESIZE_SIZE_KEYS, "resize");
  const body: ResizeRequest = {};
  if (size.vcpu_count !== undefined) body.vcpu_count = validateVcpuCount(size.vcpu_count);
  if (size.memory_mib !== undefined) body.memory_mib = validateMemoryMib(size.memory_mib);
  if (size.disk_mib !== undefined) body.disk_mib = validateDiskMib(size.disk_mib);
  if (Object.keys(body).length === 0) {
    throw badRequest("resize needs at least one of vcpu_count, memory_mib, disk_mib");
  }
  return body;
}
