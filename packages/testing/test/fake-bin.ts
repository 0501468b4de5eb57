import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const BIN_SOURCE = fileURLToPath(new URL("../src/bin.ts", import.meta.url));

/**
 * Runs the `arker-fake` bin from its source in node with tsx as a loader: one process, so
 * a signal reaches the bin itself (through the `tsx` wrapper it is relayed to a child,
 * and the exit code seen after SIGTERM flaked under load).
 */
export function spawnFakeBin(args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ["--import", "tsx", BIN_SOURCE, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}
