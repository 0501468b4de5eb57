import { spawn } from "node:child_process";
import { childScript } from "./child.js";
import type { SampleFn } from "./interleave.js";

/**
 * Wall time of a whole child process, from spawn to exit: what a user waits for when
 * running a CLI or a script that imports the SDK; and its own CPU time, which a busy
 * shared machine disturbs much less.
 *
 * @module
 */

/** What one timed process cost. */
export interface ProcessTiming {
  /** Spawn to exit, as the parent saw it. */
  wallMs: number;
  /** The child's user + system CPU time, every thread, as it reported on exit. */
  cpuMs: number;
}

const CPU_PRELOAD = childScript("cpu-at-exit.cjs");

/** Runs `node` with `args` in `cwd` and resolves with its wall and CPU time. */
export function timeNodeProcess(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-r", CPU_PRELOAD, ...args], {
      cwd,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const cpu = /CPU_MS ([\d.]+)/.exec(stderr);
      if (code === 0 && cpu) resolve({ wallMs, cpuMs: Number(cpu[1]) });
      else reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr.slice(-1000)}`));
    });
  });
}

/**
 * Times processes for `interleaveMany`: each side resolves with the wall time and keeps
 * the CPU time of its kept rounds (warm-up rounds, numbered below 0, are left out) in
 * `cpuMs[side]`, in round order.
 */
export function timedSides(runs: ReadonlyArray<() => Promise<ProcessTiming>>): {
  sides: SampleFn[];
  cpuMs: number[][];
} {
  const cpuMs = runs.map(() => [] as number[]);
  const sides = runs.map(
    (run, index): SampleFn =>
      async (round) => {
        const timing = await run();
        if (round >= 0) cpuMs[index]!.push(timing.cpuMs);
        return timing.wallMs;
      },
  );
  return { sides, cpuMs };
}
