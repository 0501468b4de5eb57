import type { BenchContext } from "../lib/context.js";
import { compare, interleaveMany } from "../lib/interleave.js";
import { loadSdk, loadTesting } from "../lib/packages.js";
import { atMost, notRun, type RowResult } from "../lib/result.js";
import { seedFiles } from "../lib/seed-files.js";
import { median } from "../lib/stats.js";
import { alternateCalls, collectGarbage } from "../lib/timing.js";

/**
 * Row 3: does a fork cost grow with what the parent holds? Parents with 0, 1 000,
 * 10 000 and 100 000 files on the in-process fake; each round forks a batch of children
 * of every parent (rotating order) through the SDK over `fake.dispatcher`, timing each
 * fork and measuring the heap the batch retains after a full GC (children kept).
 *
 * @module
 */

const FILE_COUNTS = [0, 1_000, 10_000, 100_000];
const TIME_GOAL = 2;
const MEMORY_GOAL = 2;
/** A lower bound on what copying one file node would retain (a small V8 object). */
const COPY_BYTES_PER_FILE = 32;

/** Measures fork time and retained heap per fork against the empty parent. */
export async function runForkGrowth(context: BenchContext): Promise<RowResult[]> {
  const title = (count: number, what: string) =>
    `Fork cost: ${what}, parent with ${count.toLocaleString("en-US")} files vs empty`;
  const sdk = await loadSdk();
  const testing = await loadTesting();
  if (!sdk.ok || !testing.ok) {
    const reason = sdk.ok ? (testing.ok ? "" : testing.reason) : sdk.reason;
    return FILE_COUNTS.slice(1).flatMap((count) => [
      notRun(
        3,
        `fork-${count}-time`,
        title(count, "time"),
        goalText(count, "time"),
        "skipped",
        reason,
      ),
      notRun(
        3,
        `fork-${count}-memory`,
        title(count, "retained heap"),
        goalText(count, "memory"),
        "skipped",
        reason,
      ),
    ]);
  }
  if (!(globalThis as { gc?: unknown }).gc) throw new Error("row 3 needs node --expose-gc");

  const fake = await testing.module.createFakeArker({ python: false });
  const arker = new sdk.module.Arker(fake.clientOptions);
  try {
    context.log(`row 3: seeding parents with ${FILE_COUNTS.join(", ")} files`);
    const parents: Array<Awaited<ReturnType<typeof arker.fork>>> = [];
    for (const count of FILE_COUNTS) {
      const parent = await arker.fork("ubuntu");
      const seedStarted = performance.now();
      const directories = await seedFiles(parent, count);
      const found = directories.reduce(
        (sum, directory) => sum + (fake.files(parent.id).list(directory)?.length ?? 0),
        0,
      );
      if (found !== count) throw new Error(`parent should hold ${count} files, holds ${found}`);
      context.log(`  ${count} files seeded in ${Math.round(performance.now() - seedStarted)} ms`);
      parents.push(parent);
    }

    const forksPerRound = context.pick(200, 50);
    const rounds = context.pick(7, 3);
    const children: unknown[] = [];
    const fork = (index: number) => async () => {
      children.push(await parents[index]!.fork());
    };
    context.log(`row 3: time, ${rounds} rounds × ${forksPerRound} forks per parent, alternating`);
    const latencies: number[][] = FILE_COUNTS.map(() => []);
    for (let round = -1; round < rounds; round++) {
      const perParent = await alternateCalls(
        FILE_COUNTS.map((_, index) => fork(index)),
        forksPerRound,
      );
      if (round < 0) continue;
      for (const [index, values] of perParent.entries()) latencies[index]!.push(median(values));
    }

    context.log(`row 3: retained heap, ${rounds} rounds × ${forksPerRound} forks per parent`);
    const retained: number[][] = FILE_COUNTS.map(() => []);
    await interleaveMany(
      FILE_COUNTS.map((_, index) => async (round) => {
        collectGarbage();
        const heapBefore = process.memoryUsage().heapUsed;
        for (let count = 0; count < forksPerRound; count++) await fork(index)();
        collectGarbage();
        const perFork = (process.memoryUsage().heapUsed - heapBefore) / forksPerRound;
        if (round >= 0) retained[index]!.push(perFork);
        return perFork;
      }),
      { warmupRounds: 1, rounds },
    );

    return FILE_COUNTS.slice(1).flatMap((count, offset) => {
      const time = compare(latencies[0]!, latencies[offset + 1]!);
      const memory = compare(retained[0]!, retained[offset + 1]!);
      const gated = count === 100_000;
      const timeVerdict = gated ? atMost(time.medianRatio, TIME_GOAL) : null;
      const memoryVerdict = gated ? atMost(memory.medianRatio, MEMORY_GOAL) : null;
      const rows: RowResult[] = [
        {
          row: 3,
          id: `fork-${count}-time`,
          title: title(count, "time"),
          baseline: { label: "fork of an empty parent", value: time.medianBaseline, unit: "ms" },
          subject: {
            label: `fork of a ${count}-file parent`,
            value: time.medianSubject,
            unit: "ms",
          },
          ratio: time.medianRatio,
          goal: goalText(count, "time"),
          pass: timeVerdict?.pass ?? null,
          margin: timeVerdict?.margin ?? null,
          status: "measured",
          note: `median fork latency of ${forksPerRound} forks per parent and round, the four parents alternating fork by fork, ${rounds} rounds, through the SDK over fake.dispatcher`,
          details: { ratios: time.ratios },
        },
        {
          row: 3,
          id: `fork-${count}-memory`,
          title: title(count, "retained heap"),
          baseline: {
            label: "per fork of an empty parent",
            value: memory.medianBaseline / 1024,
            unit: "KiB",
          },
          subject: {
            label: `per fork of a ${count}-file parent`,
            value: memory.medianSubject / 1024,
            unit: "KiB",
          },
          ratio: memory.medianRatio,
          goal: goalText(count, "memory"),
          pass: memoryVerdict?.pass ?? null,
          margin: memoryVerdict?.margin ?? null,
          status: "measured",
          note:
            `heap retained per fork after a full GC, children kept alive: ${(memory.medianSubject / 1024).toFixed(1)} KiB ` +
            `vs ${(memory.medianBaseline / 1024).toFixed(1)} KiB for the empty parent; a per-fork copy of the parent's ` +
            `tree (one node object, ≥ ${COPY_BYTES_PER_FILE} B, per file) would add ≥ ${Math.round((count * COPY_BYTES_PER_FILE) / 1024)} KiB`,
          details: {
            ratios: memory.ratios,
            baselineBytes: memory.baseline,
            subjectBytes: memory.subject,
          },
        },
      ];
      return rows;
    });
  } finally {
    await arker.close();
    await fake.close();
  }
}

function goalText(count: number, what: "time" | "memory"): string | null {
  if (count !== 100_000) return null;
  return what === "time" ? `ratio ≤ ${TIME_GOAL}` : `ratio ≤ ${MEMORY_GOAL} (no per-fork copy)`;
}
