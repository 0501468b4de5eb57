import { createHash } from "node:crypto";
import { idempotencyKeyProblem } from "@arker-ai/core/contract";
import { ApiError, badRequest } from "../support/errors.js";
import type { FakeResponse } from "./http-types.js";

/**
 * `Idempotency-Key` handling: the first answer for (org, route, key) is kept for 24 h
 * of fake time and replayed for the same body; another body with that key is a 409
 * `conflict`. A request that arrives while the first is still being handled waits for
 * it, so concurrent retries never double a side effect.
 *
 * @module
 */

/** How long a key is remembered, in milliseconds of fake time. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Returns the key if valid (`idempotencyKeyProblem` of the contract), `undefined` if absent; 400 else. */
export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const problem = idempotencyKeyProblem(raw);
  if (problem !== undefined) throw badRequest(problem);
  return raw;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response: Promise<FakeResponse>;
}

/** The per-fake store of remembered answers. */
export class IdempotencyStore {
  #entries = new Map<string, Entry>();
  readonly #now: () => number;

  /** Creates a store reading fake time from `now`. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Runs `handle` once per (scope, key, body): a replay returns the remembered answer
   * with `replayed: true`; another body under the same key throws 409 `conflict`.
   * Only answers below 500 are remembered, so a server fault can be retried.
   */
  async run(
    scope: string,
    key: string,
    body: string,
    handle: () => Promise<FakeResponse>,
  ): Promise<{ response: FakeResponse; replayed: boolean }> {
    const storeKey = `${scope}\u0000${key}`;
    const fingerprint = fingerprintOf(body);
    const now = this.#now();
    const existing = this.#entries.get(storeKey);
    if (existing !== undefined && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError("conflict", "Idempotency-Key was already used with a different request");
      }
      return { response: await existing.response, replayed: true };
    }
    const response = handle();
    const entry: Entry = { fingerprint, expiresAt: now + IDEMPOTENCY_TTL_MS, response };
    this.#entries.set(storeKey, entry);
    try {
      const result = await response;
      if (result.status >= 500) this.#forget(storeKey, entry);
      return { response: result, replayed: false };
    } catch (error) {
      this.#forget(storeKey, entry);
      throw error;
    }
  }

  #forget(storeKey: string, entry: Entry): void {
    if (this.#entries.get(storeKey) === entry) this.#entries.delete(storeKey);
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }
}

/**
 * What a replay must match: a short request as it is (hashing it was a measurable part
 * of the fake's time per run: BENCHMARKS.md, row 2), a longer one by its SHA-256. They
 * cannot be confused: a request starts with its path (`/`), a digest with `#`.
 */
function fingerprintOf(body: string): string {
  if (body.length <= FINGERPRINT_CHARS) return body;
  return `#${createHash("sha256").update(body).digest("hex")}`;
}

const FINGERPRINT_CHARS = 256;
