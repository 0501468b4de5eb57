import { describe, expect, it } from "vitest";
import {
  optionalBoolean,
  optionalNumberInRange,
  optionalOneOf,
  optionalString,
  optionalTimestamp,
  requireId,
  validateEnv,
  validateLimit,
} from "../src/internal";

// The argument checks vm and filesystems build their methods on: an option left out
// (undefined or null) is "not given", anything else is checked, and a refusal is a
// `bad_request` (status 400, nothing sent) whose message names the argument.
function refusal(check: () => unknown): { code: string; status: number; message: string } {
  try {
    check();
  } catch (error) {
    const { code, status, message } = error as { code: string; status: number; message: string };
    return { code, status, message };
  }
  throw new Error("expected the check to refuse");
}

function badRequest(message: string) {
  return { code: "bad_request", status: 400, message: `bad_request: ${message}` };
}

describe("requireId", () => {
  it("returns a non-empty id as given", () => {
    expect(requireId("vm_1", "vmId")).toBe("vm_1");
  });

  it.each([[""], ["   "], [undefined], [null], [42]])("refuses %j, naming the argument", (id) => {
    expect(refusal(() => requireId(id, "vmId"))).toEqual(
      badRequest("vmId must be a non-empty string"),
    );
  });
});

describe("options left out", () => {
  it.each([[undefined], [null]])("%j reads as not given by every optional check", (value) => {
    expect(optionalString(value, "cwd")).toBeUndefined();
    expect(optionalBoolean(value, "wait")).toBeUndefined();
    expect(validateLimit(value)).toBeUndefined();
    expect(validateEnv(value)).toBeUndefined();
    expect(optionalOneOf(value, ["a", "b"], "mode")).toBeUndefined();
    expect(optionalTimestamp(value, "since")).toBeUndefined();
    expect(optionalNumberInRange(value, 1, 10, "timeout", "seconds")).toBeUndefined();
  });
});

describe("optionalString and optionalBoolean", () => {
  it("return a value of the right type as given, the empty string included", () => {
    expect(optionalString("", "cwd")).toBe("");
    expect(optionalString("x", "cwd")).toBe("x");
    expect(optionalBoolean(false, "wait")).toBe(false);
    expect(optionalBoolean(true, "wait")).toBe(true);
  });

  it("refuse a value of another type, naming the argument", () => {
    expect(refusal(() => optionalString(5, "cwd"))).toEqual(badRequest("cwd must be a string"));
    expect(refusal(() => optionalBoolean("true", "wait"))).toEqual(
      badRequest("wait must be a boolean"),
    );
  });
});

describe("optionalOneOf", () => {
  const sizes = ["small", "large"] as const;

  it("returns an allowed value", () => {
    expect(optionalOneOf("large", sizes, "size")).toBe("large");
  });

  it.each([
    ["medium", "medium"],
    [5, "5"],
    ["", ""],
  ])("refuses %j, listing what is allowed", (value, shown) => {
    expect(refusal(() => optionalOneOf(value, sizes, "size"))).toEqual(
      badRequest(`size must be one of small, large; got ${shown}`),
    );
  });
});

describe("optionalTimestamp", () => {
  it("sends a Date as RFC 3339 and a string as given", () => {
    expect(optionalTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), "since")).toBe(
      "2026-01-02T03:04:05.000Z",
    );
    expect(optionalTimestamp("2026-01-02T03:04:05Z", "since")).toBe("2026-01-02T03:04:05Z");
  });

  it("refuses an invalid Date", () => {
    expect(refusal(() => optionalTimestamp(new Date("nope"), "since"))).toEqual(
      badRequest("since is an invalid Date"),
    );
  });

  it.each([[""], [0], [{}]])("refuses %j", (value) => {
    expect(refusal(() => optionalTimestamp(value, "since"))).toEqual(
      badRequest("since must be a Date or an RFC 3339 string"),
    );
  });
});

describe("optionalNumberInRange", () => {
  it("accepts both ends of the range and what lies between", () => {
    for (const value of [1, 5.5, 10]) {
      expect(optionalNumberInRange(value, 1, 10, "timeout", "seconds")).toBe(value);
    }
  });

  it.each([
    [0.999, "0.999"],
    [10.001, "10.001"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    ["5", "5"],
  ])("refuses %j, naming the range and its unit", (value, shown) => {
    expect(refusal(() => optionalNumberInRange(value, 1, 10, "timeout", "seconds"))).toEqual(
      badRequest(`timeout must be a number of seconds from 1 to 10; got ${shown}`),
    );
  });
});
