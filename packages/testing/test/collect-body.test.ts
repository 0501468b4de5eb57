import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BodyTooLargeError,
  collectBody,
  collectWholeBody,
  isWholeBody,
} from "../src/doors/collect-body.js";

// Reading a dispatcher's request body of every shape undici hands over into one
// Uint8Array: copies, the limit at its edge, and the shapes it refuses.

const bytes = (...values: number[]) => new Uint8Array(values);

describe("isWholeBody", () => {
  it("is true for none, a string and bytes of any view, false for chunks", () => {
    for (const body of [
      null,
      undefined,
      "",
      "x",
      bytes(1),
      new ArrayBuffer(2),
      new DataView(new ArrayBuffer(1)),
    ])
      expect(isWholeBody(body), String(body)).toBe(true);
    for (const body of [[bytes(1)], Readable.from(["x"]), { length: 1 }, 5])
      expect(isWholeBody(body), String(body)).toBe(false);
  });
});

describe("collectWholeBody", () => {
  it("reads none as null, a string as UTF-8, and copies bytes of any view", () => {
    expect(collectWholeBody(null)).toBeNull();
    expect(collectWholeBody(undefined)).toBeNull();
    expect([...collectWholeBody("é")!]).toEqual([0xc3, 0xa9]);
    const given = bytes(1, 2, 3);
    const read = collectWholeBody(given)!;
    expect(read).toEqual(given);
    expect(read).not.toBe(given);
    given[0] = 9;
    expect(read[0]).toBe(1);
    const buffer = bytes(5, 6, 7, 8).buffer;
    expect([...collectWholeBody(buffer)!]).toEqual([5, 6, 7, 8]);
    expect([...collectWholeBody(new DataView(buffer, 1, 2))!]).toEqual([6, 7]);
    expect([...collectWholeBody(new Uint16Array(bytes(1, 0, 2, 0).buffer))!]).toEqual([1, 0, 2, 0]);
  });

  it("takes a body of exactly the limit and refuses one byte more", () => {
    expect(collectWholeBody("abc", 3)).toHaveLength(3);
    expect(() => collectWholeBody("abcd", 3)).toThrow(BodyTooLargeError);
    expect(collectWholeBody(bytes(1, 2), 2)).toHaveLength(2);
    expect(() => collectWholeBody(bytes(1, 2, 3), 2)).toThrow(BodyTooLargeError);
  });
});

describe("collectBody", () => {
  it("reads a whole body as collectWholeBody does", async () => {
    expect(await collectBody(null)).toBeNull();
    expect([...(await collectBody("hi"))!]).toEqual([104, 105]);
    await expect(collectBody("abc", 2)).rejects.toThrow(BodyTooLargeError);
  });

  it("joins the chunks of an iterable or a stream, strings and bytes of any view", async () => {
    const chunks = ["ab", bytes(99), bytes(100, 101).buffer, new DataView(bytes(0, 102).buffer, 1)];
    expect(Buffer.from((await collectBody(chunks))!).toString()).toBe("abcdef");
    expect(Buffer.from((await collectBody(Readable.from(["gh", "ij"])))!).toString()).toBe("ghij");
    async function* generated() {
      yield "k";
      yield bytes(108);
    }
    expect(Buffer.from((await collectBody(generated()))!).toString()).toBe("kl");
    expect(await collectBody([])).toEqual(new Uint8Array(0));
  });

  it("copies a single chunk (the caller may reuse it)", async () => {
    const given = bytes(1, 2);
    const read = (await collectBody([given]))!;
    expect(read).toEqual(given);
    given[0] = 7;
    expect(read[0]).toBe(1);
  });

  it("takes chunks up to the limit and stops at the chunk that passes it", async () => {
    expect(await collectBody(["ab", "cd"], 4)).toHaveLength(4);
    await expect(collectBody(["ab", "cde"], 4)).rejects.toThrow(BodyTooLargeError);
    let pulled = 0;
    function* endless() {
      for (;;) {
        pulled++;
        yield "xx";
      }
    }
    await expect(collectBody(endless(), 5)).rejects.toThrow(BodyTooLargeError);
    expect(pulled).toBe(3);
    await expect(collectBody(Readable.from(["abc", "def"]), 5)).rejects.toThrow(BodyTooLargeError);
  });

  it("refuses a body or a chunk of an unsupported type, naming it", async () => {
    await expect(collectBody(5)).rejects.toThrow(new TypeError("unsupported request body type"));
    await expect(collectBody({ length: 1 })).rejects.toThrow("unsupported request body type");
    await expect(collectBody([5])).rejects.toThrow(new TypeError("unsupported body chunk: number"));
    await expect(collectBody([{}])).rejects.toThrow("unsupported body chunk: object");
  });
});
