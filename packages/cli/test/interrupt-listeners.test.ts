import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CliIo } from "../src/support/cli-io";
import { signalOf } from "../src/support/interrupt-signal";
import {
  handleInterrupts,
  InterruptedError,
  type InterruptSignal,
  type SignalSource,
} from "../src/support/interrupts";
import { onInterrupt } from "../src/support/remote-interrupt";

afterEach(() => {
  vi.useRealTimers();
});

/** A stand-in for `process`: signals sent by hand, exits recorded. */
function signalSource() {
  const listeners = new Map<InterruptSignal, () => void>();
  const exits: number[] = [];
  const source = {
    on: (event: InterruptSignal, listener: () => void) => listeners.set(event, listener),
    exit: (code: number) => {
      exits.push(code);
    },
  } as unknown as SignalSource;
  return { source, exits, send: (signal: InterruptSignal) => listeners.get(signal)?.() };
}

function stderrRecorder() {
  let written = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString("utf8");
      done();
    },
  });
  return { stream, written: () => written };
}

describe("handleInterrupts", () => {
  it("the first signal restores a terminal (cursor, line wrap), aborts with it, and exits after 3 s", async () => {
    vi.useFakeTimers();
    const { source, exits, send } = signalSource();
    const stderr = stderrRecorder();
    const interrupts = handleInterrupts(source, stderr.stream, true);
    send("SIGTERM");
    await vi.advanceTimersByTimeAsync(0);
    expect(stderr.written()).toBe("\u001b[?25h\u001b[?7h");
    const reason = interrupts.signal.reason as InterruptedError;
    expect(reason).toBeInstanceOf(InterruptedError);
    expect(reason.name).toBe("InterruptedError");
    expect(reason.message).toBe("interrupted by SIGTERM");
    expect(reason.signal).toBe("SIGTERM");
    vi.advanceTimersByTime(2_999);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([143]);
  });
});

function ioWithSignal(signal?: AbortSignal): CliIo {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    stdout: sink,
    stderr: sink,
    stdin: (async function* () {})(),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...(signal === undefined ? {} : { signal }),
  };
}

describe("signalOf", () => {
  it("gives the process's signal to an SDK call, and no signal key in process", () => {
    const controller = new AbortController();
    expect(signalOf(ioWithSignal(controller.signal))).toStrictEqual({ signal: controller.signal });
    expect(signalOf(ioWithSignal())).toStrictEqual({});
  });
});

describe("onInterrupt", () => {
  it("calls the listener once with the signal received", () => {
    const controller = new AbortController();
    const heard: string[] = [];
    onInterrupt(ioWithSignal(controller.signal), (signal) => heard.push(signal));
    controller.abort(new InterruptedError("SIGTERM"));
    expect(heard).toEqual(["SIGTERM"]);
  });

  it("calls it at once when the process was already interrupted; SIGINT for any other reason", () => {
    const controller = new AbortController();
    controller.abort(new Error("other"));
    const heard: string[] = [];
    onInterrupt(ioWithSignal(controller.signal), (signal) => heard.push(signal));
    expect(heard).toEqual(["SIGINT"]);
  });

  it("stops listening when told to", () => {
    const controller = new AbortController();
    const heard: string[] = [];
    const stop = onInterrupt(ioWithSignal(controller.signal), (signal) => heard.push(signal));
    stop();
    controller.abort(new InterruptedError("SIGINT"));
    expect(heard).toEqual([]);
  });
});
