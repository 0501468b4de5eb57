import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The fake server's built executable (`arker-fake`). */
export const FAKE_BIN = fileURLToPath(
  new URL("../../../packages/testing/dist/bin.js", import.meta.url),
);

/** A fake server running in its own process. */
export interface FakeProcess {
  url: string;
  apiKey: string;
  /** The process id (to read its resident memory). */
  pid: number;
  /** Stops it (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `arker-fake --port 0` in a child process (with `extraArgs`, e.g. limit flags)
 * and reads its `export` lines, so that the test process holds only the client (its
 * heap then measures the SDK alone, and the fake's resident memory is its own).
 */
export function startFakeProcess(seed: number, extraArgs: string[] = []): Promise<FakeProcess> {
  if (!existsSync(FAKE_BIN)) {
    execFileSync("pnpm", ["turbo", "run", "build", "--filter=@arker-ai/testing..."], {
      cwd: fileURLToPath(new URL("../../../", import.meta.url)),
      stdio: "ignore",
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FAKE_BIN, "--port", "0", "--seed", String(seed), ...extraArgs],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let output = "";
    child.once("error", reject);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const url = /ARKER_BASE_URL=(\S+)/.exec(output)?.[1];
      const apiKey = /ARKER_API_KEY=(\S+)/.exec(output)?.[1];
      if (url && apiKey) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({
          url,
          apiKey,
          pid: child.pid ?? 0,
          stop: async () => {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`arker-fake exited with ${code}: ${output}`)));
  });
}

/** Resident memory of a process in bytes (Linux `/proc`, else `ps`). */
export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" })) * 1024;
}
