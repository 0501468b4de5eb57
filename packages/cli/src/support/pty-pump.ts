import type { Pty } from "@arker-ai/vm";
import { type CliIo, writeAll } from "./cli-io";

/**
 * Connects a remote terminal to this process: its output to stdout as it comes, stdin
 * to its keys (raw mode on a TTY, window size changes as `resize`), until its process
 * ends. Piped stdin is sent through, then Ctrl-D at its end, so `arker shell < script`
 * ends when the script does.
 *
 * @module
 */

/** Ctrl-D: a shell reading an empty line ends. */
const END_OF_INPUT = "\u0004";

/** Pumps stdin into the terminal until it ends or `stop` is called. */
function pumpInput(io: CliIo, pty: Pty, closeInput: boolean): () => void {
  const input = io.stdin[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    try {
      for (;;) {
        const next = await input.next();
        if (stopped) return;
        if (next.done === true) break;
        const chunk = next.value;
        pty.write(typeof chunk === "string" ? chunk : new Uint8Array(chunk));
      }
      if (closeInput) pty.write(END_OF_INPUT);
    } catch {
      // The terminal closed while keys were on their way: its end is reported by `exited`.
    }
  })();
  return () => {
    stopped = true;
    void input.return?.();
    // A read in flight keeps process.stdin (and so the process) alive: the input is done.
    (io.stdin as { destroy?: () => void }).destroy?.();
  };
}

/** What {@link attachTerminal} does with output and input. */
export interface AttachOptions {
  /** Send stdin as keys (a shell); `false` for `run --follow`, which only reads. */
  input: boolean;
  /** Output to stdout with `\r\n` turned into `\n` (output that may go to a file). */
  plainNewlines: boolean;
}

/** Turns `\r\n` into `\n` across chunk boundaries. */
function newlineFilter(): (chunk: Uint8Array) => Uint8Array {
  let pendingCr = false;
  return (chunk) => {
    const out: number[] = [];
    if (pendingCr && chunk[0] !== 0x0a) out.push(0x0d);
    pendingCr = false;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === 0x0d) {
        if (index === chunk.length - 1) pendingCr = true;
        else if (chunk[index + 1] !== 0x0a) out.push(byte);
        continue;
      }
      out.push(byte);
    }
    return Uint8Array.from(out);
  };
}

/**
 * Runs a terminal to its end with this process's stdin and stdout; resolves with the
 * remote exit code. A Ctrl-C or SIGTERM on a non-raw terminal (the process's signal)
 * is sent on as Ctrl-C, then the connection closed if the remote side does not end.
 */
export async function attachTerminal(io: CliIo, pty: Pty, options: AttachOptions): Promise<number> {
  const terminal = options.input ? io.terminal : undefined;
  const cleanups: Array<() => void> = [];
  if (terminal !== undefined) {
    terminal.setRawMode(true);
    cleanups.push(() => terminal.setRawMode(false));
    cleanups.push(
      terminal.onResize(() => {
        const { cols, rows } = terminal.size();
        try {
          pty.resize(cols, rows);
        } catch {
          // Closed meanwhile.
        }
      }),
    );
  }
  if (options.input) cleanups.push(pumpInput(io, pty, terminal === undefined));
  const onSignal = (): void => {
    try {
      pty.write("\u0003");
    } catch {
      // Already closed.
    }
  };
  io.signal?.addEventListener("abort", onSignal, { once: true });
  cleanups.push(() => io.signal?.removeEventListener("abort", onSignal));
  const filter = options.plainNewlines ? newlineFilter() : (chunk: Uint8Array) => chunk;
  try {
    for await (const chunk of pty) await writeAll(io.stdout, filter(chunk));
    return (await pty.exited).exitCode;
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
    pty.close();
  }
}
