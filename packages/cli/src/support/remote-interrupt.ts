import type { CliIo } from "./cli-io";
import { InterruptedError, type InterruptSignal } from "./interrupts";

/**
 * Calls `listener` once when the process is interrupted (SIGINT/SIGTERM, through
 * `io.signal`), with the signal received; at once if it already was. Returns a function
 * that stops listening. Nothing happens in process (no `io.signal`).
 */
export function onInterrupt(io: CliIo, listener: (signal: InterruptSignal) => void): () => void {
  const source = io.signal;
  if (source === undefined) return () => {};
  const fire = () => {
    const reason: unknown = source.reason;
    listener(reason instanceof InterruptedError ? reason.signal : "SIGINT");
  };
  if (source.aborted) {
    fire();
    return () => {};
  }
  source.addEventListener("abort", fire, { once: true });
  return () => source.removeEventListener("abort", fire);
}
