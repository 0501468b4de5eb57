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

/** What a replay must match, and the answer it gets. */
interface Entry {
  /** The request's path when the request is short, else `""` (see {@link isShort}). */
  path: string;
  /** The request's body when short, else a digest of path and body. */
  body: string;
  expiresAt: number;
  /** The first request's answer while it is still being handled. */
  pending: Promise<FakeResponse> | undefined;
  /**
   * The answer once given: what a replay needs of it, kept in the entry itself (one
   * object per key for 24 h of fake time, not a response, its headers and a promise).
   */
  status: number;
  contentType: string | undefined;
  bytes: Uint8Array;
}

const NO_BYTES = new Uint8Array(0);

/** The per-fake store of remembered answers. */
export class IdempotencyStore {
  /**
   * Entries by org, route and key: nested maps, so that no joined key string is built
   * (and kept) per request.
   */
  #entries = new Map<string, Map<string, Map<string, Entry>>>();
  readonly #now: () => number;
  /** When the first remembered answer expires: nothing is swept (or iterated) before. */
  #earliestExpiry = Number.POSITIVE_INFINITY;

  /** Creates a store reading fake time from `now`. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Runs `handle` once per (org, route, key) for a request's `path` and `body`: a
   * replay answers the remembered answer (status, content type and body) with the
   * `idempotent-replayed: true` header, and calls `replayed` first; another request
   * under the same key throws 409 `conflict`. Only answers below 500 are remembered,
   * so a server fault can be retried.
   */
  run(
    orgId: string,
    route: string,
    key: string,
    path: string,
    body: string,
    handle: () => FakeResponse | Promise<FakeResponse>,
    replayed: () => void,
  ): FakeResponse | Promise<FakeResponse> {
    const keys = this.#keysOf(orgId, route);
    const now = this.#now();
    if (now >= this.#earliestExpiry) this.#sweep(now);
    const short = isShort(path, body);
    const kept = { path: short ? path : "", body: short ? body : digestOf(path, body) };
    const existing = keys.get(key);
    if (existing !== undefined && existing.expiresAt > now) {
      if (existing.path !== kept.path || existing.body !== kept.body) {
        throw new ApiError("conflict", "Idempotency-Key was already used with a different request");
      }
      if (existing.pending === undefined) {
        replayed();
        return replayOf(existing.status, existing.contentType, existing.bytes);
      }
      // A retry that arrives while the first request is handled gets its answer, whatever it is.
      return existing.pending.then((response) => {
        replayed();
        return replayOf(response.status, response.headers["content-type"], response.body);
      });
    }
    const entry: Entry = {
      path: kept.path,
      body: kept.body,
      expiresAt: now + IDEMPOTENCY_TTL_MS,
      pending: undefined,
      status: 0,
      contentType: undefined,
      bytes: NO_BYTES,
    };
    const remember = (response: FakeResponse): FakeResponse => {
      entry.pending = undefined;
      if (response.status >= 500) {
        this.#forget(keys, key, entry);
      } else {
        entry.status = response.status;
        entry.contentType = response.headers["content-type"];
        entry.bytes = response.body;
      }
      return response;
    };
    // An answer given at once is remembered at once; only one still coming is pending.
    const answer = handle();
    // A key is new here (an expired one was swept above), so it is appended: the map
    // stays in order of expiry (see #sweep).
    keys.set(key, entry);
    if (entry.expiresAt < this.#earliestExpiry) this.#earliestExpiry = entry.expiresAt;
    if (!(answer instanceof Promise)) return remember(answer);
    entry.pending = answer;
    return answer.then(remember, (error: unknown) => {
      this.#forget(keys, key, entry);
      throw error;
    });
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * Drops every expired entry. Each (org, route) map is in order of expiry (entries are
   * appended, each living the same TTL on a clock that only moves forward; a reset
   * clears the store), so each sweep stops at its map's first live entry. A long-running
   * fake thus keeps 24 h of keys, not every key it ever saw.
   */
  #sweep(now: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const routes of this.#entries.values()) {
      for (const keys of routes.values()) {
        for (const [key, entry] of keys) {
          if (entry.expiresAt > now) {
            earliest = Math.min(earliest, entry.expiresAt);
            break;
          }
          keys.delete(key);
        }
      }
    }
    this.#earliestExpiry = earliest;
  }

  /** How many answers are remembered, expired ones not yet swept included. */
  get size(): number {
    let count = 0;
    for (const routes of this.#entries.values())
      for (const keys of routes.values()) count += keys.size;
    return count;
  }

  #keysOf(orgId: string, route: string): Map<string, Entry> {
    let routes = this.#entries.get(orgId);
    if (routes === undefined) {
      routes = new Map();
      this.#entries.set(orgId, routes);
    }
    let keys = routes.get(route);
    if (keys === undefined) {
      keys = new Map();
      routes.set(route, keys);
    }
    return keys;
  }

  #forget(keys: Map<string, Entry>, key: string, entry: Entry): void {
    if (keys.get(key) === entry) keys.delete(key);
  }
}

/** A remembered answer, replayed. */
function replayOf(status: number, contentType: string | undefined, body: Uint8Array): FakeResponse {
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers["content-type"] = contentType;
  headers["idempotent-replayed"] = "true";
  return { status, headers, body };
}

/**
 * What a replay must match: a short request as it is, path and body apart (hashing it
 * was a measurable part of the fake's time per run: BENCHMARKS.md, row 2), a longer one
 * by the SHA-256 of both. They cannot be confused: a short one has a path (`/…`), a
 * long one has none.
 */
function isShort(path: string, body: string): boolean {
  return path.length + 1 + body.length <= FINGERPRINT_CHARS;
}

function digestOf(path: string, body: string): string {
  return `#${createHash("sha256").update(`${path}\n${body}`).digest("hex")}`;
}

const FINGERPRINT_CHARS = 256;
