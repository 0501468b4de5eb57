/** The local terminal, when stdin and stdout are one (`arker shell` drives it). */
export interface TerminalControl {
  /** Raw mode on or off: keys arrive one by one, Ctrl-C as the byte 0x03. */
  setRawMode(raw: boolean): void;
  /** The window's size in character cells. */
  size(): { cols: number; rows: number };
  /** Calls `listener` when the window changes size (SIGWINCH); returns the unsubscribe. */
  onResize(listener: () => void): () => void;
}

/**
 * The process surface the CLI touches, gathered in one object so tests can run the
 * whole program in memory and `bin.ts` can hand it the real process.
 */
export interface CliIo {
  /** Where data goes: tables, ids, JSON documents, remote stdout, file bytes. */
  stdout: NodeJS.WritableStream;
  /** Where everything else goes: errors, hints, progress, the debug trace, remote stderr. */
  stderr: NodeJS.WritableStream;
  /** Read by `arker sync <vm> <path> -` and `arker config set apiKey -`. */
  stdin: AsyncIterable<Uint8Array | string>;
  /** Environment variables (`ARKER_*`, `HOME`, `NO_COLOR`). */
  env: Record<string, string | undefined>;
  /** The working directory, where `arker dev` looks for @arker-ai/testing. Default: process.cwd(). */
  cwd?: string;
  /** Whether stdout is a terminal (decides colour on stdout). */
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (decides colour on stderr and the progress bar). */
  stderrIsTTY: boolean;
  /** Whether stdin is a terminal (reading `-` then says how to end the input). Default false. */
  stdinIsTTY?: boolean;
  /**
   * Resolves when the process is asked to stop (SIGINT or SIGTERM); `arker dev` waits
   * on it. Default: never resolves.
   */
  waitForShutdown?: () => Promise<string>;
  /** Aborted on SIGINT/SIGTERM; commands pass it to the SDK calls they make. */
  signal?: AbortSignal;
  /** The local terminal, when stdin and stdout are one; absent when piped. */
  terminal?: TerminalControl;
}

/** The process's terminal, when stdin and stdout are both TTYs. */
function processTerminal(): TerminalControl | undefined {
  const { stdin, stdout } = process;
  if (stdin.isTTY !== true || stdout.isTTY !== true) return undefined;
  return {
    setRawMode: (raw) => {
      stdin.setRawMode(raw);
    },
    size: () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 }),
    onResize: (listener) => {
      stdout.on("resize", listener);
      return () => stdout.off("resize", listener);
    },
  };
}

/** The `CliIo` of the running Node process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    terminal: processTerminal(),
    waitForShutdown: () =>
      new Promise((resolve) => {
        const stop = (signal: string) => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve(signal);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      }),
  };
}

/** Writes `chunk` and resolves once the stream has taken it (backpressure-aware). */
export function writeAll(stream: NodeJS.WritableStream, chunk: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** Reads a stream to its end as one `Buffer`, bytes untouched. */
export async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
