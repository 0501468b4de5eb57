import { type ArkerClient, ArkerError } from "@arker-ai/core";
import { badRequest } from "@arker-ai/core/internal";

/**
 * The handle of an open terminal (`vm.pty`, `vm.spawn`): keys in with `write`, output
 * out by async iteration, `resize`, `kill`, `close`, and `exited`. Output chunks are
 * queued until read, up to `maxBufferedBytes`; the socket is undici's.
 *
 * @module
 */

/** The socket `client.connect` opens (undici's WebSocket). */
type Socket = Awaited<ReturnType<ArkerClient["connect"]>>;

/** How a terminal's process ended. */
export interface PtyExit {
  /** The shell's or command's exit code (130 after Ctrl-C, 137 after `kill`). */
  exitCode: number;
}

const encoder = new TextEncoder();

/** Default of `maxBufferedBytes`: unread terminal output kept before the terminal closes. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Checks `maxBufferedBytes`: a positive safe integer, or the default when absent. */
export function maxBufferedBytesOr(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_BUFFERED_BYTES;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    throw badRequest(`maxBufferedBytes must be a positive integer; got ${String(value)}`);
  return value;
}

/** Checks one side of a terminal size: an integer from 1 to 1000. */
export function terminalSide(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 1000)
    throw badRequest(`${what} must be an integer from 1 to 1000; got ${String(value)}`);
  return value;
}

function exitCodeOf(text: string): number | undefined {
  try {
    const message = JSON.parse(text) as { type?: unknown; exit_code?: unknown };
    return message.type === "exit" && typeof message.exit_code === "number"
      ? message.exit_code
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An open terminal. Iterate it for output (`for await (const chunk of pty)`; the loop
 * ends when the terminal closes, and throws `network_error` if the connection dropped);
 * `exited` resolves with the exit code, or rejects with `network_error` (dropped) or
 * `aborted` (closed by `close()` before the process ended).
 *
 * Output nobody reads is kept up to `maxBufferedBytes` (default 16 MiB). One chunk more
 * closes the connection instead of growing without bound: what was kept is still
 * yielded, then the loop and `exited` fail with `payload_too_large`. A persistent
 * terminal goes on in the VM and can be reattached.
 */
export class Pty implements AsyncIterable<Uint8Array> {
  /** Resolves when the terminal's process has ended. */
  readonly exited: Promise<PtyExit>;
  readonly #socket: Socket;
  readonly #chunks: Uint8Array[] = [];
  readonly #maxBufferedBytes: number;
  #bufferedBytes = 0;
  #wake: (() => void) | undefined;
  #exitCode: number | undefined;
  #failure: ArkerError | undefined;
  #done = false;
  #closedByUs = false;

  /** Wraps an open socket (made by `vm.pty` / `vm.spawn`). */
  constructor(socket: Socket, maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES) {
    this.#socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
    let settle!: { resolve: (exit: PtyExit) => void; reject: (error: ArkerError) => void };
    this.exited = new Promise<PtyExit>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A caller that never awaits `exited` must not see an unhandled rejection.
    this.exited.catch(() => undefined);
    socket.addEventListener("message", (event) => {
      const data: unknown = event.data;
      if (typeof data === "string") {
        const code = exitCodeOf(data);
        if (code !== undefined) this.#exitCode = code;
        return;
      }
      if (!(data instanceof ArrayBuffer) || this.#failure !== undefined) return;
      if (this.#bufferedBytes + data.byteLength > this.#maxBufferedBytes) {
        this.#overflow();
        return;
      }
      this.#chunks.push(new Uint8Array(data));
      this.#bufferedBytes += data.byteLength;
      this.#notify();
    });
    socket.addEventListener("close", () => {
      this.#done = true;
      if (this.#exitCode !== undefined) settle.resolve({ exitCode: this.#exitCode });
      else if (this.#failure !== undefined) settle.reject(this.#failure);
      else if (this.#closedByUs)
        settle.reject(
          new ArkerError("aborted", "the terminal was closed before its process ended", 0),
        );
      else {
        this.#failure = new ArkerError(
          "network_error",
          "the terminal's connection closed before its process ended",
          0,
          { retryable: true },
        );
        settle.reject(this.#failure);
      }
      this.#notify();
    });
  }

  /** Unread output passed the cap: close rather than keep growing. */
  #overflow(): void {
    this.#failure = new ArkerError(
      "payload_too_large",
      `the terminal's unread output passed maxBufferedBytes (${this.#maxBufferedBytes} bytes): ` +
        "read it as it comes (for await) or raise the limit; the connection was closed",
      0,
    );
    this.#socket.close(1000);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #open(): void {
    if (this.#done || this.#socket.readyState !== 1) throw badRequest("the terminal is closed");
  }

  /** Sends keys (a string is sent as UTF-8; Ctrl-C is `"\u0003"`). */
  write(data: string | Uint8Array): void {
    this.#open();
    if (typeof data === "string") this.#socket.send(encoder.encode(data));
    else if (data instanceof Uint8Array) this.#socket.send(data);
    else throw badRequest("data must be a string or a Uint8Array");
  }

  /** Tells the terminal its new size (integers from 1 to 1000). */
  resize(cols: number, rows: number): void {
    const checkedCols = terminalSide(cols, "cols");
    const checkedRows = terminalSide(rows, "rows");
    this.#open();
    this.#socket.send(JSON.stringify({ type: "resize", cols: checkedCols, rows: checkedRows }));
  }

  /** Kills the terminal's process; `exited` then resolves (137 on the fake). */
  kill(): void {
    this.#open();
    this.#socket.send(JSON.stringify({ type: "kill" }));
  }

  /**
   * Closes the connection. A persistent terminal (`persist: true`) goes on and can be
   * reattached; `exited` rejects with `aborted` unless the process had already ended.
   */
  close(): void {
    if (this.#done) return;
    this.#closedByUs = true;
    this.#socket.close(1000);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        this.#bufferedBytes -= chunk.byteLength;
        yield chunk;
        continue;
      }
      if (this.#done) {
        if (this.#failure !== undefined) throw this.#failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
