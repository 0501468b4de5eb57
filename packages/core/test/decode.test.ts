import { describe, expect, it } from "vitest";
import { ArkerError } from "../src/index";
import {
  acknowledgement,
  decodePage,
  type FieldRule,
  objectDecoder,
  satisfies,
} from "../src/internal";

interface Thing {
  id: string;
  size: number;
  note: string | null;
  extra?: boolean;
}

const decodeThing = objectDecoder<Thing>("thing", {
  id: "string",
  size: "number",
  note: "string|null",
  extra: "optional boolean",
});

function failure(run: () => unknown): ArkerError {
  try {
    run();
  } catch (error) {
    if (ArkerError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("the decoder toolkit", () => {
  it("returns a checked object with its unknown fields kept", () => {
    const data = { id: "t_1", size: 3, note: null, later: "kept" };
    expect(decodeThing(data, "req_1")).toEqual(data);
    expect(decodeThing({ id: "t_1", size: 3 }, null)).toEqual({ id: "t_1", size: 3 });
  });

  it.each<[string, unknown, string]>([
    ["not an object", "text", "thing response is not an object"],
    ["an array", [], "thing response is not an object"],
    ["a missing id", { size: 1, note: null }, "thing response: id must be string"],
    ["a numeric id", { id: 1, size: 1, note: null }, "thing response: id must be string"],
    [
      "a NaN size",
      { id: "t", size: Number.NaN, note: null },
      "thing response: size must be number",
    ],
    ["a numeric note", { id: "t", size: 1, note: 5 }, "thing response: note must be string|null"],
    [
      "a string extra",
      { id: "t", size: 1, note: null, extra: "yes" },
      "thing response: extra must be optional boolean",
    ],
  ])("refuses %s with the one malformed-response error", (_label, data, detail) => {
    const error = failure(() => decodeThing(data, "req_9"));
    expect([error.code, error.status, error.retryable, error.requestId]).toEqual([
      "internal",
      200,
      false,
      "req_9",
    ]);
    expect(error.message).toBe(`internal: malformed response: ${detail}`);
  });

  it.each<[unknown, FieldRule, boolean]>([
    ["a", "string", true],
    [undefined, "string", false],
    [null, "number|null", true],
    [undefined, "number|null", true],
    [1, "optional number", true],
    [null, "optional number", false],
    [{}, "object", true],
    [[], "object", false],
    [[], "array", true],
  ])("satisfies(%j, %s) is %s", (value, rule, expected) => {
    expect(satisfies(value, rule)).toBe(expected);
  });

  it("decodes a page item by item and refuses a bad cursor", () => {
    const page = decodePage(
      { things: [{ id: "a", size: 1, note: null }], next_cursor: "c" },
      "things",
      decodeThing,
      null,
    );
    expect(page).toEqual({ items: [{ id: "a", size: 1, note: null }], nextCursor: "c" });
    expect(decodePage({ things: [] }, "things", decodeThing, null).nextCursor).toBeNull();
    expect(
      failure(() => decodePage({ things: [{}] }, "things", decodeThing, null)).message,
    ).toContain("thing response: id must be string");
    expect(
      failure(() => decodePage({ things: [], next_cursor: 3 }, "things", decodeThing, null))
        .message,
    ).toContain("next_cursor must be string|null");
    expect(failure(() => decodePage({}, "things", decodeThing, null)).message).toContain(
      "things must be array",
    );
  });

  it("accepts any object as an acknowledgement, nothing else", () => {
    const decodeDeleted = acknowledgement("delete");
    expect(() => decodeDeleted({ deleted: true }, null)).not.toThrow();
    expect(failure(() => decodeDeleted("ok", null)).message).toContain(
      "delete response is not an object",
    );
  });
});

describe("booleans and list pages", () => {
  it("accepts a boolean where a boolean is due, and only a boolean", () => {
    expect(satisfies(true, "boolean")).toBe(true);
    expect(satisfies(false, "optional boolean")).toBe(true);
    expect(satisfies("true", "boolean")).toBe(false);
    expect(decodeThing({ id: "a", size: 1, note: null, extra: false }, null)).toMatchObject({
      extra: false,
    });
  });

  it("names the list and the field when a page is malformed", () => {
    const error = failure(() => decodePage({ vms: {} }, "vms", (item) => item, "req_1"));
    expect([error.code, error.requestId, error.message]).toEqual([
      "internal",
      "req_1",
      "internal: malformed response: list of vms response: vms must be array",
    ]);
  });
});
