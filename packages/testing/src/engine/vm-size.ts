import { RESIZE_LIMITS } from "@arker-ai/core/contract";
import type { VmSize } from "../stores/vm-store.js";
import { badRequest } from "../support/errors.js";

/**
 * The size rules of forks and resizes (`RESIZE_LIMITS` of the contract).
 *
 * @module
 */

/** A requested size: each part absent to keep the current one. */
export interface SizeInput {
  vcpuCount: number | undefined;
  memoryMib: number | undefined;
  diskMib: number | undefined;
}

/** Checks a requested size against the limits (disk may only grow on resize); 400 else. */
export function resolveSize(input: SizeInput, current: VmSize, growOnly: boolean): VmSize {
  const { vcpu, memoryMib } = RESIZE_LIMITS;
  if (
    input.vcpuCount !== undefined &&
    !(
      Number.isInteger(input.vcpuCount) &&
      input.vcpuCount >= vcpu.min &&
      input.vcpuCount <= vcpu.max
    )
  ) {
    throw badRequest(`vcpu_count must be an integer from ${vcpu.min} to ${vcpu.max}`);
  }
  if (
    input.memoryMib !== undefined &&
    !(
      Number.isInteger(input.memoryMib) &&
      input.memoryMib >= memoryMib.min &&
      input.memoryMib <= memoryMib.max &&
      input.memoryMib % memoryMib.step === 0
    )
  ) {
    throw badRequest(
      `memory_mib must be a multiple of ${memoryMib.step} from ${memoryMib.min} to ${memoryMib.max}`,
    );
  }
  if (input.diskMib !== undefined) {
    if (!(Number.isInteger(input.diskMib) && input.diskMib >= 0))
      throw badRequest("disk_mib must be an integer ≥ 0");
    if (growOnly && input.diskMib < current.diskMib) {
      throw badRequest(`disk_mib can only grow (current ${current.diskMib})`);
    }
  }
  return {
    vcpuCount: input.vcpuCount ?? current.vcpuCount,
    memoryMib: input.memoryMib ?? current.memoryMib,
    diskMib: input.diskMib ?? current.diskMib,
  };
}
