import { afterEach, describe, expect, it } from "vitest";
import { processIo } from "../src/support/cli-io";

// processIo reads the real process; these tests set the terminal flags of its streams for
// a moment (and restore them) rather than needing a terminal.

type Patch = [target: object, key: string, value: unknown];
const restores: Array<() => void> = [];

function patch(...patches: Patch[]): void {
  for (const [target, key, value] of patches) {
    const had = Object.hasOwn(target, key);
    const old = (target as Record<string, unknown>)[key];
    (target as Record<string, unknown>)[key] = value;
    restores.push(() => {
      if (had) (target as Record<string, unknown>)[key] = old;
      else delete (target as Record<string, unknown>)[key];
    });
  }
}

function restoreAll(): void {
  for (const restore of restores.splice(0).reverse()) restore();
}

afterEach(restoreAll);

function ttys(
  stdin: boolean | undefined,
  stdout: boolean | undefined,
  stderr: boolean | undefined,
) {
  patch(
    [process.stdin, "isTTY", stdin],
    [process.stdout, "isTTY", stdout],
    [process.stderr, "isTTY", stderr],
  );
}

describe("processIo", () => {
  it("reports each stream's terminal flag, false when the stream has none", () => {
    ttys(undefined, undefined, undefined);
    expect(processIo()).toMatchObject({
      stdinIsTTY: false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
    });
    restoreAll();
    ttys(true, true, true);
    expect(processIo()).toMatchObject({ stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true });
  });

  it("has a terminal only when stdin and stdout are both terminals", () => {
    for (const [stdin, stdout] of [
      [true, false],
      [false, true],
      [undefined, undefined],
    ] as const) {
      ttys(stdin, stdout, true);
      expect(processIo().terminal, `stdin ${stdin}, stdout ${stdout}`).toBeUndefined();
      restoreAll();
    }
  });

  it("the terminal sets stdin's raw mode, reads stdout's size (80×24 when unknown) and follows resizes", () => {
    const modes: boolean[] = [];
    ttys(true, true, false);
    patch(
      [process.stdin, "setRawMode", (mode: boolean) => modes.push(mode)],
      [process.stdout, "columns", 132],
      [process.stdout, "rows", 43],
    );
    const terminal = processIo().terminal;
    if (terminal === undefined) throw new Error("expected a terminal");
    terminal.setRawMode(true);
    terminal.setRawMode(false);
    expect(modes).toEqual([true, false]);
    expect(terminal.size()).toEqual({ cols: 132, rows: 43 });
    patch([process.stdout, "columns", 0], [process.stdout, "rows", 0]);
    expect(terminal.size()).toEqual({ cols: 80, rows: 24 });

    const before = process.stdout.listenerCount("resize");
    let resizes = 0;
    const unsubscribe = terminal.onResize(() => {
      resizes += 1;
    });
    process.stdout.emit("resize");
    unsubscribe();
    process.stdout.emit("resize");
    expect(resizes).toBe(1);
    expect(process.stdout.listenerCount("resize")).toBe(before);
  });

  it("waitForShutdown resolves with the first of SIGINT or SIGTERM and stops listening", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
      const shutdown = processIo().waitForShutdown?.();
      // Calls the listener it added, rather than emitting a signal the test runner also hears.
      const added = process
        .listeners(signal)
        .filter((listener) => !before[signal].includes(listener));
      expect(added).toHaveLength(1);
      (added[0] as (name: string) => void)(signal);
      await expect(shutdown).resolves.toBe(signal);
      expect(process.listeners("SIGINT")).toEqual(before.SIGINT);
      expect(process.listeners("SIGTERM")).toEqual(before.SIGTERM);
    }
  });
});
