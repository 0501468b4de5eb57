// Proves a terminal's command on an "auto" clock has no window: it is never answered 202, and time moves until it ends.
import { describe, expect, it } from "vitest";
import type { TerminalIo } from "../src/terminal/terminal-io.js";
import { bench } from "./runner-unit.js";

describe("runner: a terminal's command on an auto clock", () => {
  it("runs past the window: time moves until it ends, and it is answered 200", async () => {
    const b = bench({ clock: "auto", syncWindowMs: 3000 });
    const start = b.state.clock.now();
    const written: string[] = [];
    const ended: Array<[number, boolean]> = [];
    const io: TerminalIo = {
      status: 0,
      write: (bytes) => written.push(Buffer.from(bytes).toString("utf8")),
      size: () => ({ cols: 80, rows: 24 }),
      ended: (code, exited) => ended.push([code, exited]),
    };
    const answer = await b.start("echo a; sleep 40; echo b", { terminal: io });
    expect(answer).toMatchObject({ status: 200, body: { state: "completed", exit_code: 0 } });
    expect(b.state.clock.now()).toBe(start + 40_000);
    expect(written).toEqual(["a\n", "b\n"]);
    expect(ended).toEqual([[0, false]]);
  });
});
