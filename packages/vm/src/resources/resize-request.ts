import { RESIZE_LIMITS } from "@arker-ai/core";
import { badRequest, rejectUnknownOptions } from "@arker-ai/core/internal";
import type { ResizeRequest } from "@arker-ai/core/wire";

/**
 * New machine size, at least one field: camelCase as `fork` takes it (`vcpuCount`,
 * `memoryMib`, `diskMib`), or the wire's names the seed's README shows (`vcpu_count`,
 * …). Both spellings of one field must agree. Disk can only grow; the service
 * enforces that.
 */
export interface ResizeSize {
  /** Virtual CPUs, an integer from 1 to 64. */
  vcpuCount?: number;
  /** Memory in MiB, from 256 to 262 144 in steps of 256. */
  memoryMib?: number;
  /** Disk in MiB, a positive integer no smaller than the current disk. */
  diskMib?: number;
  /** The wire's name of `vcpuCount`. */
  vcpu_count?: number;
  /** The wire's name of `memoryMib`. */
  memory_mib?: number;
  /** The wire's name of `diskMib`. */
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
    throw badRequest("resize needs an object with vcpuCount, memoryMib or diskMib");
  }
  rejectUnknownOptions(size, RESIZE_SIZE_KEYS, "resize");
  const body: ResizeRequest = {};
  const vcpu = either(size.vcpuCount, size.vcpu_count, "vcpuCount", "vcpu_count");
  const memory = either(size.memoryMib, size.memory_mib, "memoryMib", "memory_mib");
  const disk = either(size.diskMib, size.disk_mib, "diskMib", "disk_mib");
  if (vcpu !== undefined) body.vcpu_count = validateVcpuCount(vcpu, vcpuName(size));
  if (memory !== undefined) body.memory_mib = validateMemoryMib(memory, memoryName(size));
  if (disk !== undefined) body.disk_mib = validateDiskMib(disk, diskName(size));
  if (Object.keys(body).length === 0) {
    throw badRequest("resize needs at least one of vcpuCount, memoryMib, diskMib");
  }
  return body;
}

/** One field given in either spelling; both given must agree. */
function either(camel: unknown, snake: unknown, camelName: string, snakeName: string): unknown {
  if (camel !== undefined && snake !== undefined && camel !== snake) {
    throw badRequest(`resize got ${camelName} and ${snakeName} with different values`);
  }
  return camel ?? snake;
}

// Errors name the field as the caller spelt it.
const vcpuName = (size: ResizeSize) => (size.vcpuCount !== undefined ? "vcpuCount" : "vcpu_count");
const memoryName = (size: ResizeSize) =>
  size.memoryMib !== undefined ? "memoryMib" : "memory_mib";
const diskName = (size: ResizeSize) => (size.diskMib !== undefined ? "diskMib" : "disk_mib");
