import { describe, expect, it } from "vitest";
import { UsageError } from "../src/support/errors";
import {
  choiceOption,
  collectEnv,
  parseEnvAssignment,
  parseInteger,
} from "../src/support/parse-arguments";

describe("parseEnvAssignment", () => {
  it("splits on the first =", () => {
    expect(parseEnvAssignment("A=1")).toEqual(["A", "1"]);
    expect(parseEnvAssignment("URL=a=b=c")).toEqual(["URL", "a=b=c"]);
    expect(parseEnvAssignment("EMPTY=")).toEqual(["EMPTY", ""]);
    expect(parseEnvAssignment("_x9=sp ace")).toEqual(["_x9", "sp ace"]);
  });

  it.each(["A", "=1", "9A=1", "A-B=1", "A B=1", ""])("rejects %j as a usage error", (text) => {
    expect(() => parseEnvAssignment(text)).toThrow(UsageError);
  });

  it("a missing name is the K=V usage error, naming what was given", () => {
    expect(() => parseEnvAssignment("=1")).toThrow('--env expects K=V; got "=1"');
  });

  it("collects repeated flags, the later one winning", () => {
    const first = collectEnv("A=1", undefined);
    const second = collectEnv("B=2", first);
    expect(collectEnv("A=3", second)).toEqual({ A: "3", B: "2" });
    expect(first).toEqual({ A: "1" });
  });
});

describe("parseInteger", () => {
  it("accepts whole numbers within bounds", () => {
    expect(parseInteger("42", "--limit", { min: 1, max: 1000 })).toBe(42);
    expect(parseInteger("0", "--timeout", { min: 0 })).toBe(0);
    expect(parseInteger(" 42 ", "--limit")).toBe(42);
  });

  it.each(["", "1.5", "abc", "1e3", "0x10", "12abc"])("rejects %j", (text) => {
    expect(() => parseInteger(text, "--limit")).toThrow(/--limit expects a whole number/);
  });

  it("rejects values out of bounds with the range", () => {
    expect(() => parseInteger("0", "--limit", { min: 1, max: 1000 })).toThrow(
      "--limit must be between 1 and 1000; got 0",
    );
    expect(() => parseInteger("-1", "--timeout", { min: 0 })).toThrow("at least 0");
  });
});

describe("choiceOption", () => {
  it("accepts listed values only", () => {
    const parse = choiceOption("--state", ["idle", "running"] as const);
    expect(parse("idle")).toBe("idle");
    expect(() => parse("stopped")).toThrow("--state must be one of idle, running");
  });
});
