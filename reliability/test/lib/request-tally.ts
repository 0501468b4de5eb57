import type { FakeArker, RequestLogEntry } from "@arker-ai/testing";
import { bump } from "./figures";

/**
 * Tallies the fake's request log while a suite runs. The log keeps only its newest
 * 10 000 entries, so the tally samples it on an interval and merges by request id.
 */
export class RequestTally {
  /** Requests seen, by request id. */
  readonly #seen = new Set<string>();
  /** Faults injected, by kind: the status of a `respond` fault, or the effect type. */
  readonly faults: Record<string, number> = {};
  /** Requests the fake saw. */
  requests = 0;
  /** Requests answered 5xx that no fault rule caused (the fake's own failures). */
  unexpected5xx = 0;
  readonly #fake: FakeArker;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(fake: FakeArker, intervalMs = 200) {
    this.#fake = fake;
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Merges the current log into the tally. */
  sample(): void {
    for (const entry of this.#fake.requests) this.#count(entry);
  }

  /** Takes a last sample and stops sampling. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
  }

  #count(entry: RequestLogEntry): void {
    if (this.#seen.has(entry.requestId)) return;
    this.#seen.add(entry.requestId);
    this.requests++;
    if (entry.fault === "respond") bump(this.faults, String(entry.status));
    else if (entry.fault !== null) bump(this.faults, entry.fault);
    else if (entry.status >= 500) this.unexpected5xx++;
  }
}
