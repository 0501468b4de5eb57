import type { SdkModule } from "./packages.js";

/**
 * Fills a VM with `count` empty files through the public surface only: shell runs of
 * `touch` with brace expansion, 10 000 files per directory and per run (the simulated
 * shell expands at most 10 000 words of a brace, so larger counts are split).
 *
 * @module
 */

type Vm = Awaited<ReturnType<InstanceType<SdkModule["Arker"]>["fork"]>>;

/** Files per directory (and per `touch` run). */
export const FILES_PER_DIRECTORY = 10_000;

/** Where the seeded files go: `/data/d<n>/f<i>`. */
export const SEED_ROOT = "/data";

/** Creates `count` files under {@link SEED_ROOT}; returns the directories used. */
export async function seedFiles(vm: Vm, count: number): Promise<string[]> {
  const directories: string[] = [];
  for (let start = 0; start < count; start += FILES_PER_DIRECTORY) {
    const directory = `${SEED_ROOT}/d${directories.length}`;
    const last = Math.min(count, start + FILES_PER_DIRECTORY) - start;
    const result = await vm.run(`mkdir -p ${directory} && touch ${directory}/f{1..${last}}`);
    if (result.type !== "completed" || result.exitCode !== 0) {
      throw new Error(`seeding ${directory} failed: ${JSON.stringify(result)}`);
    }
    directories.push(directory);
  }
  return directories;
}
