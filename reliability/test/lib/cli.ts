import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built `arker` executable. */
export const CLI_BIN = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));

/** Builds the CLI (and what it depends on) when its bin is missing. */
export function ensureCliBuilt(): void {
  if (existsSync(CLI_BIN)) return;
  execFileSync("pnpm", ["turbo", "run", "build", "--filter=@arker-ai/cli..."], {
    cwd: fileURLToPath(new URL("../../../", import.meta.url)),
    stdio: "ignore",
  });
}

/** What one `arker` process printed. */
export interface CliOutput {
  args: string[];
  code: number | null;
  stdout: string;
  /** stdout as bytes (file reads are binary). */
  stdoutBytes: Buffer;
  stderr: string;
}

/**
 * Runs `node dist/bin.js ...args` with only `env` (plus PATH) and optional stdin;
 * resolves with its exit code and both streams. Killed after `timeoutMs`.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin: string | Uint8Array = "",
  timeoutMs = 30_000,
): Promise<CliOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        args,
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stdoutBytes: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    child.stdin.end(stdin);
  });
}
