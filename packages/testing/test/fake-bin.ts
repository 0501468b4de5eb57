import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const BIN_SOURCE = fileURLToPath(new URL("../src/bin.ts", import.meta.url));

/**
 * Runs the `arker-fake` bin from its source in node with tsx as a loader: one process (the
 * `tsx` command would put a relaying parent between the test and the bin), so a signal
 * the test sends reaches the bin itself.
 */
export function spawnFakeBin(args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ["--import", "tsx", BIN_SOURCE, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}
