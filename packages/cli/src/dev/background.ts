import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { CliError } from "../support/errors";
import { type DevPaths, type DevRecord, ensureDir, isAlive, readLiveRecord } from "./state";

/** The environment variable telling a foreground `arker dev` where to write its record. */
export const RECORD_ENV: string = "ARKER_DEV_RECORD";

const START_TIMEOUT_MS = 30_000;

/**
 * Starts `arker dev <flags>` as a detached process writing to the log file, and resolves
 * with its record once it listens. The child holds none of this process's stdio, so a
 * command substitution around `arker dev --detach` returns as soon as this one exits. A
 * child that has not written its record after `startTimeoutMs` is stopped and reported.
 */
export async function startInBackground(
  paths: DevPaths,
  flags: readonly string[],
  env: NodeJS.ProcessEnv,
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<DevRecord> {
  ensureDir(paths);
  rmSync(paths.record, { force: true });
  const log = openSync(paths.log, "a", 0o600);
  const bin = process.argv[1] as string;
  const child = spawn(process.execPath, [bin, "dev", ...flags], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...env, [RECORD_ENV]: paths.record },
  });
  closeSync(log);
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const record = readLiveRecord(paths);
    if (record !== undefined && record.pid === child.pid) return record;
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined && child.pid !== undefined && isAlive(child.pid)) child.kill();
      throw new CliError(
        "dev_start_failed",
        `the background arker dev did not start:\n${lastLines(paths.log, 5)}`,
        exited ?? 1,
        `hint: the full log is ${paths.log}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops the process of `record`: SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      // SIGKILL cannot be caught: give the kernel a moment to reap it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-count).join("\n");
  } catch {
    return "(no log)";
  }
}
