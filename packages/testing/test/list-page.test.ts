import { describe, expect, it } from "vitest";
import { listPage } from "../src/routes/list-page.js";
import { QueryReader } from "../src/routes/query-reader.js";

const items = [1, 2, 3, 4, 5].map((seq) => ({ seq, name: `item-${seq}` }));
const page = (query: string, keep?: (item: { seq: number }) => boolean) =>
  listPage(new QueryReader(query), "things", items, (item) => item.name, keep);

describe("listPage", () => {
  it("pages newest first under its key, with a cursor until the last page", () => {
    const first = page("limit=2");
    expect(first.things).toEqual(["item-5", "item-4"]);
    expect(typeof first.next_cursor).toBe("string");
    const second = page(`limit=2&cursor=${first.next_cursor}`);
    expect(second.things).toEqual(["item-3", "item-2"]);
    const last = page(`limit=2&cursor=${second.next_cursor}`);
    expect(last).toEqual({ things: ["item-1"], next_cursor: null });
    expect(page("")).toEqual({ things: items.map((i) => i.name).reverse(), next_cursor: null });
  });

  it("keeps only what the filter keeps", () => {
    expect(page("limit=1", (item) => item.seq % 2 === 1).things).toEqual(["item-5"]);
    expect(page("", (item) => item.seq > 9)).toEqual({ things: [], next_cursor: null });
  });

  it("refuses a bad limit or cursor with 400", () => {
    for (const limit of ["0", "1001", "ten", "-1", "1.5"]) {
      expect(() => page(`limit=${limit}`), limit).toThrow(
        "limit must be an integer from 1 to 1000",
      );
    }
    expect(() => page("cursor=garbage!")).toThrow("invalid cursor");
    expect(() => page("cursor=Zm9v")).toThrow("invalid cursor");
  });

  it("ends with no cursor when the page holds exactly the rest", () => {
    expect(page("limit=5")).toEqual({
      things: items.map((i) => i.name).reverse(),
      next_cursor: null,
    });
    expect(typeof page("limit=4").next_cursor).toBe("string");
    expect(page("limit=1000").things).toHaveLength(5);
  });

  it("refuses a cursor outside base64url, even one that would decode", () => {
    const padded = `${Buffer.from("c1:5").toString("base64")}==`;
    expect(() => page(`cursor=${encodeURIComponent(padded)}`)).toThrow("invalid cursor");
    const last = page("limit=4").next_cursor as string;
    expect(page(`cursor=${last}`).things).toEqual(["item-1"]);
  });
});
