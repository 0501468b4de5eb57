import { PAGE_LIMIT } from "@arker-ai/core/wire";
import { badRequest } from "./support/errors.js";

/**
 * Cursor pagination shared by every list route: `limit` 1–1000 (default 50), an
 * opaque cursor, newest first, `next_cursor: null` on the last page.
 *
 * The cursor encodes the creation sequence number of the last item served, so a page
 * stays stable when newer items are created between calls.
 *
 * @module
 */

/** Anything listable: it knows its creation order. */
export interface Sequenced {
  readonly seq: number;
}

/** A page of items and the cursor to the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Parses `limit` from a query; absent → default, anything else than 1–1000 → 400. */
export function parseLimit(query: URLSearchParams): number {
  const raw = query.get("limit");
  if (raw === null || raw === "") return PAGE_LIMIT.default;
  if (!/^\d+$/.test(raw))
    throw badRequest(`limit must be an integer between ${PAGE_LIMIT.min} and ${PAGE_LIMIT.max}`);
  const limit = Number(raw);
  if (limit < PAGE_LIMIT.min || limit > PAGE_LIMIT.max) {
    throw badRequest(`limit must be an integer between ${PAGE_LIMIT.min} and ${PAGE_LIMIT.max}`);
  }
  return limit;
}

function encodeCursor(seq: number): string {
  return Buffer.from(`c1:${seq}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): number {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw badRequest("invalid cursor");
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^c1:(\d{1,15})$/.exec(text);
  if (match === null) throw badRequest("invalid cursor");
  return Number(match[1]);
}

/** Returns one page of `items` (any order in), newest first. */
export function paginate<T extends Sequenced>(items: Iterable<T>, query: URLSearchParams): Page<T> {
  const limit = parseLimit(query);
  const rawCursor = query.get("cursor");
  const after =
    rawCursor === null || rawCursor === "" ? Number.POSITIVE_INFINITY : decodeCursor(rawCursor);
  const sorted = [...items].filter((item) => item.seq < after).sort((a, b) => b.seq - a.seq);
  const pageItems = sorted.slice(0, limit);
  const last = pageItems[pageItems.length - 1];
  const nextCursor = sorted.length > limit && last !== undefined ? encodeCursor(last.seq) : null;
  return { items: pageItems, nextCursor };
}
