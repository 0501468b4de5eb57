import type { ArgumentSpec } from "../framework/define-command";

/** The `<vm>` argument most commands start with. */
export const VM_ARGUMENT: ArgumentSpec = { name: "vm", description: "VM id or name" };
