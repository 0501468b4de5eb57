import { spawn } from "node:child_process";

/**
 * Wall time of a whole child process, from spawn to exit: what a user waits for when
 * running a CLI or a script that imports the SDK.
 *
 * @module
 */

/** Runs `node` with `args` in `cwd` and resolves with the milliseconds until it exited. */
export function timeNodeProcess(args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr.slice(-1000)}`));
    });
  });
}
