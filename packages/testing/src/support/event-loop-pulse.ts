/**
 * Lets the event loop breathe while a shell command computes. just-bash interprets a
 * script with promises that are already resolved, so a busy loop (`while true; do :;
 * done`) never gives timers or sockets a turn: the whole fake (its health route, every
 * other VM) would wait for it. The shell calls {@link pulse} at every loop iteration
 * and function call (see `engine/shell-pulse.ts`); it yields one macrotask when the
 * loop has held the thread for {@link PULSE_INTERVAL_MS}, and costs a clock read
 * otherwise.
 *
 * @module
 */

/** The longest the thread is held between two turns of the event loop, in ms. */
export const PULSE_INTERVAL_MS = 5;

/** The path whose existence test is a pulse (`[ -e PULSE_PATH ]` is always true). */
export const PULSE_PATH = "/.arker-fake-pulse";

let lastTurn = performance.now();

/** Resolves `true`, after a turn of the event loop when the thread was held too long. */
export function pulse(): Promise<boolean> | boolean {
  const now = performance.now();
  if (now - lastTurn < PULSE_INTERVAL_MS) return true;
  return new Promise((resolve) => {
    setImmediate(() => {
      lastTurn = performance.now();
      resolve(true);
    });
  });
}
