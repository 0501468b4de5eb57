import { LineEditor } from "./line-editor.js";
import type { TerminalIo, TerminalSize } from "./terminal-io.js";

/**
 * A fake terminal over one session: a prompt, a line editor, and each line run as a
 * command of the session (so its cwd and exported variables are the session's). Or,
 * with `command`, one command whose end ends the terminal. Output written while no
 * client is attached is kept (the last {@link BACKLOG_BYTES}) and replayed on attach.
 *
 * @module
 */

/** How much output a terminal keeps for a client that reattaches, in bytes. */
export const BACKLOG_BYTES = 64 * 1024;

/** The exit code of a terminal ended by a `kill` message (SIGKILL). */
export const KILLED_EXIT_CODE = 137;

/** The exit code of a command interrupted with Ctrl-C (SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

const EXIT_LINE = /^\s*(?:exit|logout)(?:\s+(-?\d+))?\s*;?\s*$/;
const encoder = new TextEncoder();

/** What a terminal needs from the fake: its session's shell and the session's state. */
export interface TerminalHost {
  /** Starts a command on the session, its output and end going to `io`. */
  run(command: string, io: TerminalIo): void;
  /** Interrupts the command started with `io`, if it still runs. */
  interrupt(io: TerminalIo): void;
  /** The session's working directory now. */
  cwd(): string;
  /** The host name the prompt shows. */
  readonly hostname: string;
  /** The terminal has ended. */
  ended(terminal: Terminal, exitCode: number): void;
}

/** The client side of a terminal: a WebSocket, as the door adapts it. */
export interface TerminalClient {
  /** Terminal output. */
  send(bytes: Uint8Array): void;
  /** The terminal ended with this code: tell the client and close. */
  exit(exitCode: number): void;
  /** Another client took the terminal over: close without an exit code. */
  replaced(): void;
}

/** How a terminal was opened. */
export interface TerminalOptions extends TerminalSize {
  /** One command instead of a shell; the terminal ends with it. */
  command: string | undefined;
  /** Whether the terminal outlives its client's connection (reattach). */
  persist: boolean;
}

/** Terminal output takes `\r\n` for `\n` (the tty's `onlcr`). */
function onlcr(bytes: Uint8Array): Uint8Array {
  let newlines = 0;
  for (const byte of bytes) if (byte === 0x0a) newlines++;
  if (newlines === 0) return bytes;
  const out = new Uint8Array(bytes.byteLength + newlines);
  let at = 0;
  for (const byte of bytes) {
    if (byte === 0x0a) out[at++] = 0x0d;
    out[at++] = byte;
  }
  return out;
}

/** One terminal. */
export class Terminal {
  readonly #host: TerminalHost;
  #options: TerminalOptions;
  readonly #editor = new LineEditor();
  readonly #decoder = new TextDecoder();
  /** Lines typed ahead while a command runs; `null` is a Ctrl-D typed ahead. */
  readonly #queued: Array<string | null> = [];
  #size: TerminalSize;
  #client: TerminalClient | undefined;
  #backlog: Uint8Array[] = [];
  #backlogBytes = 0;
  #started = false;
  #running: TerminalIo | undefined;
  #lastExit = 0;
  #ended = false;

  /** Creates a terminal; nothing runs until a client attaches. */
  constructor(host: TerminalHost, options: TerminalOptions) {
    this.#host = host;
    this.#options = options;
    this.#size = { cols: options.cols, rows: options.rows };
  }

  /** Whether the terminal outlives its client's connection. */
  get persist(): boolean {
    return this.#options.persist;
  }

  /** A reattaching client's `persist` replaces the terminal's. */
  set persist(persist: boolean) {
    this.#options = { ...this.#options, persist };
  }

  /** Whether it has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The terminal's size. */
  get size(): TerminalSize {
    return { ...this.#size };
  }

  /** Attaches a client (replacing any other), replays the backlog, and starts on first attach. */
  attach(client: TerminalClient): void {
    const previous = this.#client;
    this.#client = client;
    previous?.replaced();
    const replayed = this.#backlog.length > 0;
    for (const chunk of this.#backlog) client.send(chunk);
    this.#backlog = [];
    this.#backlogBytes = 0;
    if (this.#started) {
      // A shell waiting for input shows where it is to a client that saw nothing yet.
      if (!replayed && this.#running === undefined && this.#options.command === undefined) {
        this.#prompt();
        this.#emit(encoder.encode(this.#editor.line));
      }
      return;
    }
    this.#started = true;
    if (this.#options.command === undefined) this.#prompt();
    else this.#start(this.#options.command);
  }

  /** A client's connection closed; the terminal ends unless it persists. */
  detach(client: TerminalClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    if (!this.#options.persist) this.end(KILLED_EXIT_CODE);
  }

  /** Keys typed by the client. */
  input(bytes: Uint8Array): void {
    if (this.#ended) return;
    const text = this.#decoder.decode(bytes, { stream: true });
    if (this.#options.command !== undefined) {
      if (text.includes("\u0003") && this.#running !== undefined)
        this.#host.interrupt(this.#running);
      return;
    }
    const events = this.#editor.feed(text, (echo) => this.#emit(encoder.encode(echo)));
    for (const event of events) {
      if (event.type === "line") this.#submit(event.line);
      else if (event.type === "interrupt") this.#interrupt();
      else if (event.type === "eof") {
        if (this.#running === undefined) this.end(this.#lastExit);
        else this.#queued.push(null);
      } else if (this.#running === undefined) {
        this.#emit(encoder.encode("\u001b[H\u001b[2J"));
        this.#prompt();
        this.#emit(encoder.encode(this.#editor.line));
      }
    }
  }

  /** The client's window changed size; each side is clamped to 1..1000. */
  resize(cols: number, rows: number): void {
    this.#size = { cols: clampSide(cols), rows: clampSide(rows) };
  }

  /** A `kill` message: ends the terminal and its command (exit 137). */
  kill(): void {
    this.end(KILLED_EXIT_CODE);
  }

  /** Ends the terminal: its command is stopped, its client told `exitCode`. */
  end(exitCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#running !== undefined) this.#host.interrupt(this.#running);
    this.#running = undefined;
    this.#client?.exit(exitCode);
    this.#client = undefined;
    this.#host.ended(this, exitCode);
  }

  #submit(line: string): void {
    if (this.#running !== undefined) {
      this.#queued.push(line);
      return;
    }
    const exit = EXIT_LINE.exec(line);
    if (exit !== null) {
      this.end(exit[1] === undefined ? this.#lastExit : Number(exit[1]) & 0xff);
      return;
    }
    if (line.trim() === "") {
      this.#prompt();
      return;
    }
    this.#start(line);
  }

  #interrupt(): void {
    if (this.#running !== undefined) {
      this.#queued.length = 0;
      this.#host.interrupt(this.#running);
      return;
    }
    this.#lastExit = INTERRUPTED_EXIT_CODE;
    this.#prompt();
  }

  #start(command: string): void {
    const io: TerminalIo = {
      status: this.#lastExit,
      write: (bytes) => {
        if (this.#running === io) this.#emit(onlcr(bytes));
      },
      size: () => this.size,
      ended: (exitCode, shellExited) => {
        if (this.#running !== io) return;
        this.#running = undefined;
        this.#lastExit = exitCode;
        if (this.#options.command !== undefined || shellExited) {
          this.end(exitCode);
          return;
        }
        const next = this.#queued.shift();
        if (next === null) {
          this.end(exitCode);
          return;
        }
        this.#prompt();
        if (next === undefined) {
          this.#emit(encoder.encode(this.#editor.line));
          return;
        }
        this.#emit(encoder.encode(`${next}\r\n`));
        this.#submit(next);
      },
    };
    this.#running = io;
    this.#host.run(command, io);
  }

  #prompt(): void {
    const cwd = this.#host.cwd();
    const shown = cwd === "/home/user" || cwd.startsWith("/home/user/") ? `~${cwd.slice(10)}` : cwd;
    this.#emit(encoder.encode(`user@${this.#host.hostname}:${shown}$ `));
  }

  #emit(bytes: Uint8Array): void {
    if (bytes.byteLength === 0 || this.#ended) return;
    if (this.#client !== undefined) {
      this.#client.send(bytes);
      return;
    }
    this.#backlog.push(bytes);
    this.#backlogBytes += bytes.byteLength;
    while (this.#backlogBytes > BACKLOG_BYTES && this.#backlog.length > 1)
      this.#backlogBytes -= this.#backlog.shift()?.byteLength ?? 0;
  }
}

/** A terminal side (columns or rows) clamped to 1..1000; not a finite number → 1. */
export function clampSide(value: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(1000, Math.max(1, Math.trunc(value)));
}
