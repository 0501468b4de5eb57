// Proves how the runner runs a command started from a terminal: streamed output, $?, size, exit, Ctrl-C.
import { describe, expect, it } from "vitest";
import type { TerminalIo } from "../src/terminal/terminal-io.js";
import { bench } from "./runner-unit.js";

/** A terminal that records what it is sent and how its runs end. */
function recordingTerminal(status = 0) {
  const written: string[] = [];
  const ended: Array<[number, boolean]> = [];
  let onEnd: () => void = () => {};
  const io: TerminalIo = {
    status,
    write: (bytes) => written.push(Buffer.from(bytes).toString("utf8")),
    size: () => ({ cols: 100, rows: 30 }),
    ended: (code, exited) => {
      ended.push([code, exited]);
      onEnd();
    },
  };
  const end = () =>
    new Promise<void>((resolve) => {
      onEnd = resolve;
    });
  return { io, written, ended, end };
}

describe("runner: a terminal's command", () => {
  it("streams its output to the terminal, keeps none in the run, and reports its end", async () => {
    const b = bench({ clock: "auto" });
    const t = recordingTerminal();
    const ended = t.end();
    void b.start("echo one; echo two >&2; stty size; tput cols; exit_code=5; (exit 5)", {
      terminal: t.io,
    });
    await ended;
    expect(t.written.join("")).toBe("one\ntwo\n30 100\n100\n");
    expect(t.ended).toEqual([[5, false]]);
    const [run] = b.state.runs.list(b.vm);
    expect(run).toMatchObject({ state: "completed", exitCode: 5 });
    expect([run?.stdout.byteLength, run?.stderr.byteLength]).toEqual([0, 0]);
  });

  it("sees the terminal's last status as $?", async () => {
    const b = bench({ clock: "auto" });
    const t = recordingTerminal(258);
    const ended = t.end();
    void b.start("echo $?", { terminal: t.io });
    await ended;
    expect(t.written).toEqual(["2\n"]);
  });

  it("ends the shell when its line runs exit, not when a line only fails", async () => {
    const b = bench({ clock: "auto" });
    const t = recordingTerminal();
    let ended = t.end();
    void b.start("false", { terminal: t.io });
    await ended;
    ended = t.end();
    void b.start("exit 7", { terminal: t.io });
    await ended;
    expect(t.ended).toEqual([
      [1, false],
      [7, true],
    ]);
  });

  it("a line cut off by its timeout does not end the shell", async () => {
    const b = bench();
    const t = recordingTerminal();
    const ended = t.end();
    void b.start("sleep 5; echo never", { terminal: t.io, timeoutMs: 1000 });
    await b.state.clock.advance(1000);
    await ended;
    expect(t.ended).toEqual([[124, false]]);
    expect(t.written.join("")).not.toContain("never");
  });

  it("runs a line that does not parse as it is, without ending the shell", async () => {
    const b = bench({ clock: "auto" });
    const t = recordingTerminal();
    const ended = t.end();
    void b.start("echo (", { terminal: t.io });
    await ended;
    expect(t.ended).toHaveLength(1);
    expect(t.ended[0]?.[0]).not.toBe(0);
    expect(t.ended[0]?.[1]).toBe(false);
  });

  it("keeps a terminal's cd in its session, in a shell apart from the runs' shell", async () => {
    const b = bench({ clock: "auto" });
    const t = recordingTerminal();
    let ended = t.end();
    void b.start("cd /tmp; X=terminal", { terminal: t.io });
    await ended;
    expect(b.session.cwd).toBe("/tmp");
    ended = t.end();
    void b.start("pwd; echo $X", { terminal: t.io });
    await ended;
    expect(t.written).toEqual(["/tmp\n", "terminal\n"]);
    const outside = await b.start("stty size");
    expect(outside).toMatchObject({ status: 200, body: { exit_code: 1 } });
  });

  it("Ctrl-C cancels the terminal's running command with exit 130; afterwards it does nothing", async () => {
    const b = bench();
    const t = recordingTerminal();
    const ended = t.end();
    void b.start("sleep 100; echo never", { terminal: t.io });
    await b.state.clock.advance(1000);
    const [run] = b.state.runs.list(b.vm);
    expect(run?.state).toBe("running");
    b.state.runner.interruptTerminal(t.io);
    await ended;
    expect(run).toMatchObject({ state: "cancelled", exitCode: 130 });
    expect(t.ended).toEqual([[130, false]]);
    b.state.runner.interruptTerminal(t.io);
    expect(t.ended).toHaveLength(1);
    await b.state.clock.advance(200_000);
    expect(t.written).toEqual([]);
  });

  it("on a manual clock, waits on fake time like a background run", async () => {
    const b = bench();
    const t = recordingTerminal();
    const ended = t.end();
    const answer = b.start("echo a; sleep 2; echo b", { terminal: t.io });
    expect(await answer).toMatchObject({ status: 202 });
    await b.state.clock.advance(0);
    expect(t.written).toEqual(["a\n"]);
    await b.state.clock.advance(2000);
    await ended;
    expect(t.written).toEqual(["a\n", "b\n"]);
  });
});
