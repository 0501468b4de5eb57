import type { CommandContext } from "../framework/context";

/** `{ signal }` of the process's interrupts (SIGINT/SIGTERM) for an SDK call, or `{}` in process. */
export function signalOf(context: CommandContext): { signal?: AbortSignal } {
  const signal = context.io.signal;
  return signal === undefined ? {} : { signal };
}
