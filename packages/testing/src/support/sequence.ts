/**
 * The creation order shared by every resource of a fake: lists are sorted on it and
 * cursors point into it.
 *
 * @module
 */

/** A counter handing out 1, 2, 3, … until reset. */
export class Sequence {
  #last = 0;

  /** The next number. */
  next(): number {
    this.#last++;
    return this.#last;
  }

  /** Starts over at 1. */
  reset(): void {
    this.#last = 0;
  }
}
