// The same consumer with a misspelled wire field: must not compile (never a silent `any`).
import type { Vm } from "@arker-ai/core/wire";

export function describe(vm: Vm): string {
  return vm.this_field_does_not_exist;
}
