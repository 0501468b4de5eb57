/** The outcome of some work, with the process's resident memory measured around it. */
export interface RssMeasurement<T> {
  /** What the work resolved with, or what it threw. */
  outcome: { value: T } | { error: unknown };
  /** The highest RSS seen while it ran, above the RSS right before it started. */
  peakGrowthBytes: number;
  /** Wall-clock milliseconds the work took. */
  ms: number;
}

/**
 * Runs `work`, sampling the process's RSS every few milliseconds (and once at the end),
 * after a full collection so that the baseline holds no garbage of earlier work.
 */
export async function measureRss<T>(work: () => Promise<T>): Promise<RssMeasurement<T>> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error("run with --expose-gc (vitest.config.ts execArgv)");
  gc();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 2);
  const started = performance.now();
  let outcome: RssMeasurement<T>["outcome"];
  try {
    outcome = { value: await work() };
  } catch (error) {
    outcome = { error };
  } finally {
    sample();
    clearInterval(timer);
  }
  return { outcome, peakGrowthBytes: peak - baseline, ms: performance.now() - started };
}

/** Bytes as MiB with one decimal, for the report. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
