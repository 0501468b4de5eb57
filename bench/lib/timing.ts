/**
 * Timing helpers for one side of a comparison: sequential latency and concurrent
 * throughput of an async call.
 *
 * @module
 */

/** An async call under measurement; `index` counts calls within one batch, from 0. */
export type Call = (index: number) => Promise<unknown>;

/**
 * Times `count` calls of each function of `sides`, alternating call by call (the first
 * side rotating each step), so that every side meets the same machine moment; returns
 * the latencies in ms, `latencies[side][call]`.
 */
export async function alternateCalls(sides: readonly Call[], count: number): Promise<number[][]> {
  const latencies = sides.map(() => new Array<number>(count));
  for (let index = 0; index < count; index++) {
    for (let step = 0; step < sides.length; step++) {
      const side = (index + step) % sides.length;
      const started = performance.now();
      await sides[side]!(index);
      latencies[side]![index] = performance.now() - started;
    }
  }
  return latencies;
}

/** Calls per second implied by sequential latencies (ms). */
export function perSecond(latencies: readonly number[]): number {
  return (latencies.length * 1000) / latencies.reduce((sum, value) => sum + value, 0);
}

/** Throughput of one batch, with the CPU time this process spent on it. */
export interface Throughput {
  /** Calls per second over the batch's wall time. */
  perSecond: number;
  /** User + system CPU microseconds of this process per call. */
  cpuMicrosPerCall: number;
}

/** Makes `total` calls with at most `concurrency` in flight. */
export async function measureThroughput(
  call: Call,
  total: number,
  concurrency: number,
): Promise<Throughput> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await call(next++);
  };
  const cpu = process.cpuUsage();
  const begin = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const elapsed = performance.now() - begin;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: (total * 1000) / elapsed,
    cpuMicrosPerCall: (used.user + used.system) / total,
  };
}

/** Totals of a side over several batches. */
export interface BatchTotals {
  calls: number;
  ms: number;
  cpuMicros: number;
}

/**
 * Alternates short concurrent batches of every side, `alternations` times (the first
 * side rotating), and returns the totals of each side. Short alternating batches make a
 * burst of outside load fall on both sides rather than on one long batch.
 */
export async function alternateBatches(
  sides: readonly Call[],
  batch: number,
  concurrency: number,
  alternations: number,
): Promise<BatchTotals[]> {
  const totals = sides.map(() => ({ calls: 0, ms: 0, cpuMicros: 0 }));
  for (let turn = 0; turn < alternations; turn++) {
    for (let step = 0; step < sides.length; step++) {
      const side = (turn + step) % sides.length;
      const result = await measureThroughput(sides[side]!, batch, concurrency);
      const total = totals[side]!;
      total.calls += batch;
      total.ms += (batch * 1000) / result.perSecond;
      total.cpuMicros += result.cpuMicrosPerCall * batch;
    }
  }
  return totals;
}

/** Forces a full garbage collection when node runs with `--expose-gc`; a no-op otherwise. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}
