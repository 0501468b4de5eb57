import type { Arker } from "@arker-ai/sdk";

/**
 * The code under test of this example: it counts the words of a text with a batch job
 * in a fresh VM — the kind of code you would test against `@arker-ai/testing` instead
 * of the real service.
 *
 * @module
 */

/** What {@link countWords} reports. */
export type WordCount =
  | { ok: true; words: number; runId: string }
  | { ok: false; reason: string; runId: string };

/** Options of {@link countWords}. */
export interface CountOptions {
  /** The job to run; it reads `/work/input.txt` and prints the count. */
  command?: string;
  /** How often to poll the job; default 500 ms. */
  pollIntervalMs?: number;
}

/** The default job: ten minutes of "batch queue" before the count, like a slow pipeline. */
export const DEFAULT_JOB = "sleep 600; wc -w < /work/input.txt";

/** Counts the words of `text` in a fresh VM with a background job; the VM is deleted afterwards. */
export async function countWords(
  ar: Arker,
  text: string,
  options: CountOptions = {},
): Promise<WordCount> {
  const vm = await ar.fork("ubuntu");
  try {
    await vm.sync("/work/input.txt", text);
    const started = await vm.run(options.command ?? DEFAULT_JOB, { background: true });
    const run = await vm.waitForRun(started.runId, { pollIntervalMs: options.pollIntervalMs });
    if (run.state !== "completed" || run.exitCode !== 0) {
      return { ok: false, reason: run.failReason ?? `exit ${run.exitCode}`, runId: run.runId };
    }
    const words = Number.parseInt(new TextDecoder().decode(run.stdout).trim(), 10);
    return { ok: true, words, runId: run.runId };
  } finally {
    await vm.delete();
  }
}
