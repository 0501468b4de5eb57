import { median } from "./stats.js";

/**
 * Runs a baseline and its subjects in turn, round after round, rotating which goes
 * first, so that drift of a shared, noisy machine (CPU frequency, other tenants, GC
 * pressure) falls on every side equally. Figures are per-round ratios against the
 * baseline of the same round; a row reports their median.
 *
 * @module
 */

/** One side of a comparison: each call produces one sample (a time, a rate, a size...). */
export type SampleFn = (round: number) => Promise<number>;

/** How many rounds to run. */
export interface InterleaveOptions {
  /** Rounds run and thrown away first (JIT, connection pools, caches). Default 1. */
  warmupRounds?: number;
  /** Rounds kept. Default 5. */
  rounds?: number;
}

/** The samples of both sides and the per-round ratio subject ÷ baseline. */
export interface InterleaveResult {
  baseline: number[];
  subject: number[];
  /** `subject[i] / baseline[i]` for each kept round. */
  ratios: number[];
  /** The median of `ratios`: the figure a row reports. */
  medianRatio: number;
  medianBaseline: number;
  medianSubject: number;
}

/**
 * Runs every function of `sides` once per round, the starting side rotating each round,
 * and returns the kept samples of each side (`samples[side][round]`).
 */
export async function interleaveMany(
  sides: readonly SampleFn[],
  options: InterleaveOptions = {},
): Promise<number[][]> {
  const warmupRounds = options.warmupRounds ?? 1;
  const rounds = options.rounds ?? 5;
  const samples = sides.map(() => [] as number[]);
  for (let round = -warmupRounds; round < rounds; round++) {
    const start = (((round % sides.length) + sides.length) % sides.length) as number;
    const values = new Array<number>(sides.length);
    for (let step = 0; step < sides.length; step++) {
      const index = (start + step) % sides.length;
      values[index] = await sides[index]!(round);
    }
    if (round < 0) continue;
    for (const [index, value] of values.entries()) samples[index]!.push(value);
  }
  return samples;
}

/** Summarises baseline and subject samples of the same rounds. */
export function compare(baseline: number[], subject: number[]): InterleaveResult {
  const ratios = subject.map((value, index) => value / baseline[index]!);
  return {
    baseline,
    subject,
    ratios,
    medianRatio: median(ratios),
    medianBaseline: median(baseline),
    medianSubject: median(subject),
  };
}
