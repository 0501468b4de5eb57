import type { CliIo } from "./cli-io";

/** `{ signal }` of the process's interrupts (SIGINT/SIGTERM) for an SDK call, or `{}` in process. */
export function signalOf(io: CliIo): { signal?: AbortSignal } {
  return io.signal === undefined ? {} : { signal: io.signal };
}
