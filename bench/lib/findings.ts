/**
 * What profiling found for a figure that missed its goal, and what would close it, by
 * row id. Shown in BENCHMARKS.md under a missed figure only.
 *
 * @module
 */
export const FINDINGS: Readonly<Record<string, string>> = {};
