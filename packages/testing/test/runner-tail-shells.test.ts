// Proves a session keeps one shell for its runs and one for its terminal: shell state (an alias) carries from line to line, never across.
import { describe, expect, it } from "vitest";
import type { TerminalIo } from "../src/terminal/terminal-io.js";
import { bench } from "./runner-unit.js";

const DEFINE = "shopt -s expand_aliases; alias greet='echo hello'";

describe("runner: a session's shells", () => {
  it("an alias defined by one run is there for the session's next run", async () => {
    const b = bench({ clock: "auto" });
    await b.start(DEFINE);
    expect(await b.start("greet")).toMatchObject({
      status: 200,
      body: { state: "completed", exit_code: 0, stdout: "hello\n" },
    });
  });

  it("an alias defined on one terminal line is there for the next line", async () => {
    const b = bench({ clock: "auto" });
    const written: string[] = [];
    let onEnd: () => void = () => {};
    const terminal: TerminalIo = {
      status: 0,
      write: (bytes) => written.push(Buffer.from(bytes).toString("utf8")),
      size: () => ({ cols: 80, rows: 24 }),
      ended: () => onEnd(),
    };
    const line = (command: string) =>
      new Promise<void>((resolve) => {
        onEnd = resolve;
        void b.start(command, { terminal });
      });
    await line(DEFINE);
    await line("greet");
    expect(written).toEqual(["hello\n"]);
    // The runs' shell is another one: the terminal's alias is not there.
    expect(await b.start("greet")).toMatchObject({ status: 200, body: { exit_code: 127 } });
  });
});
