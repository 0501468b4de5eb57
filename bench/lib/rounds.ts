import { compare, type InterleaveResult } from "./interleave.js";

/**
 * Repeats a measurement that yields a baseline and a subject figure together (for
 * instance from call-by-call alternation), discarding warm-up rounds, and summarises
 * the per-round ratios.
 *
 * @module
 */

/** Runs `measure` `warmupRounds + rounds` times and compares the kept figures. */
export async function pairedRounds(
  measure: (round: number) => Promise<{ baseline: number; subject: number }>,
  options: { warmupRounds?: number; rounds?: number } = {},
): Promise<InterleaveResult> {
  const baseline: number[] = [];
  const subject: number[] = [];
  for (let round = -(options.warmupRounds ?? 1); round < (options.rounds ?? 5); round++) {
    const figures = await measure(round);
    if (round < 0) continue;
    baseline.push(figures.baseline);
    subject.push(figures.subject);
  }
  return compare(baseline, subject);
}
