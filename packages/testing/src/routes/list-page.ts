import { limitProblem, PAGE_LIMIT } from "@arker-ai/core/contract";
import type { PageQuery } from "@arker-ai/core/wire";
import { badRequest } from "../support/errors.js";
import type { QueryReader } from "./query-reader.js";

/**
 * Cursor pagination, shared by every list route: `limit` 1–1000 (default 50, by the
 * contract's `limitProblem`), an opaque cursor, newest first, `next_cursor: null` on the
 * last page. A list handler is then a filter and a view.
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

/** A list answer: the page's views under `key`, and the cursor to the next page. */
export type ListAnswer<Key extends string, View> = { [Field in Key]: View[] } & {
  next_cursor: string | null;
};

const DIGITS = /^\d+$/;
const CURSOR = /^[A-Za-z0-9_-]{1,64}$/;
const CURSOR_TEXT = /^c1:(\d{1,15})$/;

function parseLimit(query: QueryReader<PageQuery>): number {
  const raw = query.string("limit");
  if (raw === undefined) return PAGE_LIMIT.default;
  const limit = DIGITS.test(raw) ? Number(raw) : raw;
  const problem = limitProblem(limit);
  if (problem !== undefined) throw badRequest(problem);
  return limit as number;
}

function encodeCursor(seq: number): string {
  return Buffer.from(`c1:${seq}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): number {
  if (!CURSOR.test(cursor)) throw badRequest("invalid cursor");
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (match === null) throw badRequest("invalid cursor");
  return Number(match[1]);
}

/**
 * One page of `items` (any order in) that `keep` keeps, newest first, each shown
 * through `view`, under `key`.
 */
export function listPage<Key extends string, Item extends Sequenced, View>(
  query: QueryReader<PageQuery>,
  key: Key,
  items: Iterable<Item>,
  view: (item: Item) => View,
  keep: (item: Item) => boolean = () => true,
): ListAnswer<Key, View> {
  const limit = parseLimit(query);
  const rawCursor = query.string("cursor");
  const after = rawCursor === undefined ? Number.POSITIVE_INFINITY : decodeCursor(rawCursor);
  const newestFirst = [...items]
    .filter((item) => item.seq < after && keep(item))
    .sort((a, b) => b.seq - a.seq);
  const page = newestFirst.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    newestFirst.length > limit && last !== undefined ? encodeCursor(last.seq) : null;
  return { [key]: page.map(view), next_cursor: nextCursor } as ListAnswer<Key, View>;
}
