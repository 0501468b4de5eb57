/**
 * What every row receives from the runner.
 *
 * @module
 */

/** Shared settings and logging of one bench run. */
export interface BenchContext {
  /** `--quick`: fewer rounds and smaller batches, for trying the bench out; not for results. */
  quick: boolean;
  /** Progress line on stderr. */
  log(message: string): void;
  /** `full` normally, `quick` under `--quick`. */
  pick<T>(full: T, quick: T): T;
}

/** Creates the context of a run. */
export function createContext(quick: boolean): BenchContext {
  return {
    quick,
    log: (message) => process.stderr.write(`${message}\n`),
    pick: (full, quickValue) => (quick ? quickValue : full),
  };
}
