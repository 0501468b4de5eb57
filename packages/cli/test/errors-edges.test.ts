import { ArkerError } from "@arker-ai/core";
import { describe, expect, it } from "vitest";
import {
  CliError,
  describeError,
  EXIT_CODES,
  exitCodeFor,
  hintFor,
  MissingConfigurationError,
  UsageError,
} from "../src/support/errors";

describe("the CLI's errors", () => {
  it("carry their class name", () => {
    expect(new UsageError("x").name).toBe("UsageError");
    expect(new CliError("c", "x").name).toBe("CliError");
    expect(new MissingConfigurationError("apiKey").name).toBe("MissingConfigurationError");
  });

  it("a local abort or timeout (status 0) maps to 130 or 124; the same codes from the server do not", () => {
    expect(exitCodeFor(new ArkerError("timeout", "x", 0))).toBe(EXIT_CODES.timeout);
    expect(exitCodeFor(new ArkerError("timeout", "x", 504))).toBe(EXIT_CODES.failure);
    expect(exitCodeFor(new ArkerError("aborted", "x", 499))).toBe(EXIT_CODES.failure);
    expect(exitCodeFor(new ArkerError("internal", "x", 0))).toBe(EXIT_CODES.failure);
  });

  it("anything not the CLI's or the SDK's is described as internal", () => {
    expect(describeError(new Error("boom"))).toEqual({
      code: "internal",
      message: "boom",
      status: null,
      requestId: null,
    });
    expect(describeError("text")).toMatchObject({ code: "internal", message: "text" });
  });

  it("forbidden hints at the organisation; other refusals get no hint", () => {
    expect(hintFor(new ArkerError("forbidden", "x", 403))).toBe(
      "hint: the API key's organisation may not do this",
    );
    expect(hintFor(new ArkerError("conflict", "x", 409))).toBeNull();
  });
});
