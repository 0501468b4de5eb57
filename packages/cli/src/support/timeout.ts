import { CliError, EXIT_CODES } from "./errors";

/**
 * Runs `work` with a signal that aborts after `seconds`; when that is what ended it, the
 * call fails with code `timeout` (exit 124) instead of the SDK's `aborted`.
 *
 * @param what the start of the message, e.g. "run run_01J... still running"
 */
export async function withTimeout<T>(
  seconds: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) {
      throw new CliError("timeout", `${what} after ${seconds}s`, EXIT_CODES.timeout);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
