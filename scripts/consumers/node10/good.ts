// A NestJS-style consumer (CommonJS, node10 resolution) reads the wire types of a subpath.

import { ArkerError } from "@arker-ai/core";
import type { Vm } from "@arker-ai/core/wire";

export function describe(vm: Vm): string {
  return `${vm.vm_id} ${vm.state}`;
}
export const isArkerError = (error: unknown): boolean => error instanceof ArkerError;
