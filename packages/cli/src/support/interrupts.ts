/** The signals the CLI stops on, with the shell's exit code for each (128 + number). */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** One of the signals the CLI stops on. */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/** Shows the cursor and turns line wrap back on (a progress bar hides one and may turn off the other). */
export const RESTORE_TERMINAL: string = "\u001b[?25h\u001b[?7h";

/** Why {@link Interrupts.signal} was aborted: the signal the process received. */
export class InterruptedError extends Error {
  /** The signal received. */
  readonly signal: InterruptSignal;

  /** An interruption by `signal`. */
  constructor(signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
    this.name = "InterruptedError";
    this.signal = signal;
  }
}

/** How long a stopped command gets to settle before the process exits anyway. */
const GRACE_MS = 3_000;

/**
 * The grace period: `ARKER_INTERRUPT_GRACE_MS` when it is a positive whole number of
 * milliseconds, else 3 s. The CLI's own tests lengthen it, so that "the command ended by
 * itself" and "the grace timer ended it" stay apart on a loaded machine.
 */
export function interruptGraceMs(env: NodeJS.ProcessEnv): number {
  const given = env.ARKER_INTERRUPT_GRACE_MS;
  const value = given === undefined ? Number.NaN : Number(given);
  return Number.isSafeInteger(value) && value > 0 ? value : GRACE_MS;
}

/** What {@link handleInterrupts} gives the program. */
export interface Interrupts {
  /** Aborted on the first SIGINT or SIGTERM: every SDK call in flight gets it. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): InterruptSignal | undefined;
  /** The exit code to use: the signal's when one came and the command did not succeed. */
  exitCode(code: number): number;
}

/** The part of `process` {@link handleInterrupts} uses (a stand-in in tests). */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * First SIGINT/SIGTERM: restore the terminal, abort the call in flight (the command then
 * ends with `aborted`), and exit with 130/143 after a short grace if it has not ended.
 * A second one exits at once.
 */
export function handleInterrupts(
  source: SignalSource,
  stderr: NodeJS.WritableStream,
  stderrIsTTY: boolean,
  graceMs: number = GRACE_MS,
): Interrupts {
  const controller = new AbortController();
  let received: InterruptSignal | undefined;
  const onSignal = (signal: InterruptSignal) => {
    const code = INTERRUPT_EXIT_CODES[signal];
    if (received !== undefined) source.exit(code);
    received = signal;
    if (stderrIsTTY) stderr.write(RESTORE_TERMINAL);
    controller.abort(new InterruptedError(signal));
    setTimeout(() => source.exit(code), graceMs).unref();
  };
  for (const signal of Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[]) {
    source.on(signal, () => onSignal(signal));
  }
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: (code) =>
      received !== undefined && code !== 0 ? INTERRUPT_EXIT_CODES[received] : code,
  };
}
