import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/support/cli-io";
import {
  createTransferProgress,
  formatBytes,
  PROGRESS_THRESHOLD_BYTES,
  type ProgressEvent,
} from "../src/support/progress";

const MiB = 1024 * 1024;

/** An io whose stderr records what the bar draws; the stream claims to be a terminal. */
function terminalIo(options: { stderrIsTTY?: boolean; streamIsTTY?: boolean } = {}) {
  const drawn: string[] = [];
  const stderr = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        drawn.push(chunk.toString("utf8"));
        done();
      },
    }),
    { isTTY: options.streamIsTTY ?? true, columns: 120 },
  );
  const io: CliIo = {
    stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stderr,
    stdin: (async function* () {})(),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: options.stderrIsTTY ?? true,
  };
  return { io, screen: () => drawn.join("") };
}

/** Runs one transfer's events through a progress display and returns what stderr showed. */
async function transfer(
  known: number | null,
  events: ProgressEvent[],
  options: { stderrIsTTY?: boolean; streamIsTTY?: boolean } = {},
): Promise<string> {
  const { io, screen } = terminalIo(options);
  const progress = await createTransferProgress(io, "write big.bin", known);
  for (const event of events) progress.onProgress(event);
  progress.stop();
  progress.stop();
  return screen();
}

describe("the transfer progress bar", () => {
  it("is drawn for a transfer larger than 1 MiB: label, sizes, cursor hidden then shown, a final newline", async () => {
    const screen = await transfer(4 * MiB, [
      { transferredBytes: 0, totalBytes: 4 * MiB },
      { transferredBytes: 3 * MiB, totalBytes: 4 * MiB },
    ]);
    expect(screen).toContain("write big.bin [");
    expect(screen).toContain("0 B/4.0 MiB");
    expect(screen).toContain("75% 3.0 MiB/4.0 MiB");
    expect(screen.indexOf("\u001b[?25l")).toBeGreaterThanOrEqual(0);
    expect(screen.indexOf("\u001b[?25h")).toBeGreaterThan(screen.indexOf("75%"));
    expect(screen.endsWith("\n")).toBe(true);
  });

  it("is not drawn at 1 MiB or less, whether the size is known up front or not", async () => {
    expect(PROGRESS_THRESHOLD_BYTES).toBe(MiB);
    expect(await transfer(MiB, [{ transferredBytes: MiB, totalBytes: MiB }])).toBe("");
    expect(await transfer(1000, [{ transferredBytes: 1000, totalBytes: 1000 }])).toBe("");
    expect(await transfer(null, [{ transferredBytes: MiB, totalBytes: null }])).toBe("");
    expect(await transfer(null, [{ transferredBytes: 2, totalBytes: MiB }])).toBe("");
    expect(await transfer(MiB + 1, [{ transferredBytes: 1, totalBytes: MiB + 1 }])).toContain(
      "1 B/1.0 MiB",
    );
  });

  it("is not drawn when stderr is not a terminal", async () => {
    const events = [{ transferredBytes: 2 * MiB, totalBytes: 4 * MiB }];
    expect(await transfer(4 * MiB, events, { stderrIsTTY: false })).toBe("");
    expect(await transfer(4 * MiB, events, { streamIsTTY: false })).toBe("");
  });

  it("a read of unknown size starts the bar once it passes 1 MiB, at the size it learns", async () => {
    const bySize = await transfer(null, [{ transferredBytes: 2 * MiB, totalBytes: 4 * MiB }]);
    expect(bySize).toContain("50% 2.0 MiB/4.0 MiB");
    const byBytes = await transfer(null, [{ transferredBytes: MiB + 1, totalBytes: null }]);
    expect(byBytes).toContain("100% 1.0 MiB/1.0 MiB");
  });

  it("follows a size learnt later, keeps it when later events know none, and runs past 100 %", async () => {
    const screen = await transfer(null, [
      { transferredBytes: 2 * MiB, totalBytes: null },
      { transferredBytes: 2 * MiB, totalBytes: 4 * MiB },
      { transferredBytes: 4 * MiB, totalBytes: null },
      { transferredBytes: 5 * MiB, totalBytes: 8 * MiB },
    ]);
    expect(screen).toContain("100% 2.0 MiB/2.0 MiB");
    expect(screen).toContain("62% 5.0 MiB/8.0 MiB");
    expect(screen.lastIndexOf("5.0 MiB/8.0 MiB")).toBeGreaterThan(screen.lastIndexOf("/4.0 MiB"));
  });
});

describe("formatBytes", () => {
  it("switches unit at each 1024, up to TiB", () => {
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(MiB)).toBe("1.0 MiB");
    expect(formatBytes(3 * 1024 * MiB)).toBe("3.0 GiB");
    expect(formatBytes(1024 * 1024 * MiB)).toBe("1.0 TiB");
    expect(formatBytes(1024 * 1024 * 1024 * MiB)).toBe("1024.0 TiB");
  });
});
