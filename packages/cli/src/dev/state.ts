import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What a background `arker dev` records about itself (mode 0600: it holds the fake's key). */
export interface DevRecord {
  pid: number;
  url: string;
  apiKey: string;
  /** The credential of the `/_fake/*` controls (the key when the fake has no token). */
  controlToken: string;
  clock: string;
  startedAt: string;
}

/** Where a background `arker dev` keeps its record and log. */
export interface DevPaths {
  dir: string;
  record: string;
  log: string;
}

/**
 * `$ARKER_STATE_DIR`, else `$XDG_STATE_HOME/arker`, else `~/.local/state/arker`: state
 * (a pid and a log), not configuration, so the XDG state directory.
 */
export function devPaths(env: NodeJS.ProcessEnv): DevPaths {
  const dir =
    nonEmpty(env.ARKER_STATE_DIR) ??
    join(
      nonEmpty(env.XDG_STATE_HOME) ?? join(nonEmpty(env.HOME) ?? homedir(), ".local", "state"),
      "arker",
    );
  return { dir, record: join(dir, "dev.json"), log: join(dir, "dev.log") };
}

/** The record of the background server, or undefined (none, unreadable, or its process gone). */
export function readLiveRecord(paths: DevPaths): DevRecord | undefined {
  let record: DevRecord;
  try {
    record = JSON.parse(readFileSync(paths.record, "utf8")) as DevRecord;
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(record.pid) || !isAlive(record.pid)) {
    rmSync(paths.record, { force: true });
    return undefined;
  }
  return record;
}

/** Writes the record (owner-only). */
export function writeRecord(file: string, record: DevRecord): void {
  writeFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Creates the state directory (owner-only). */
export function ensureDir(paths: DevPaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
}

/** Whether a process with this id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
