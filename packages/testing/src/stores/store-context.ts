import type { EngineClock } from "../support/clock.js";
import type { IdFactory } from "../support/ids.js";
import type { Sequence } from "../support/sequence.js";

/**
 * What every store needs to create records: fake time, seeded ids and the shared
 * creation order.
 *
 * @module
 */

/** The services shared by the stores of one fake. */
export interface StoreContext {
  /** Fake time. */
  readonly clock: EngineClock;
  /** Seeded ids (reset with the fake). */
  readonly ids: IdFactory;
  /** The creation order of every resource (the order of lists). */
  readonly sequence: Sequence;
}
