import type { CliIo } from "./cli-io";

/** A terminal stdin that can hide what is typed (`tty.ReadStream`). */
interface RawModeStream {
  setRawMode(mode: boolean): unknown;
}

function canHide(stdin: unknown): stdin is RawModeStream {
  return typeof (stdin as Partial<RawModeStream> | null)?.setRawMode === "function";
}

/**
 * Writes `question` on stderr and resolves with the first line of stdin (without its line
 * end); `null` when stdin ended before any input. With `hidden` on a terminal that can
 * switch to raw mode, what is typed is not echoed (for `arker login`); Ctrl-C or Ctrl-D
 * then end the answer as `null`.
 */
export async function askLine(
  io: CliIo,
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string | null> {
  io.stderr.write(question);
  if (options.hidden === true && io.stdinIsTTY === true && canHide(io.stdin)) {
    return readHidden(io, io.stdin);
  }
  const line = await readFirstLine(io.stdin);
  // Input ended without a line end: finish the question's line.
  if (line === null) io.stderr.write("\n");
  return line;
}

async function readFirstLine(stdin: AsyncIterable<Uint8Array | string>): Promise<string | null> {
  let text = "";
  let received = false;
  for await (const chunk of stdin) {
    received = true;
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const end = text.indexOf("\n");
    if (end !== -1) return text.slice(0, end).replace(/\r$/, "");
  }
  return received ? text.replace(/\r$/, "") : null;
}

async function readHidden(io: CliIo, stdin: RawModeStream): Promise<string | null> {
  // Iterated by hand so raw mode is switched off before the iterator is closed (closing
  // destroys a TTY stream, after which its mode can no longer be set).
  const chunks = io.stdin[Symbol.asyncIterator]();
  stdin.setRawMode(true);
  try {
    let typed = "";
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      const chunk = next.value;
      for (const char of typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")) {
        if (char === "\r" || char === "\n") return typed;
        // Ctrl-C, Ctrl-D: give up without an answer.
        if (char === "\u0003" || char === "\u0004") return null;
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    }
    return typed === "" ? null : typed;
  } finally {
    stdin.setRawMode(false);
    io.stderr.write("\n");
    await chunks.return?.();
  }
}
