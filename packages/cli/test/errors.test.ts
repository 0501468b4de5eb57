import { ArkerError } from "@arker-ai/core";
import { describe, expect, it } from "vitest";
import {
  API_KEY_HINT,
  CliError,
  EXIT_CODES,
  exitCodeFor,
  formatError,
  hintFor,
  MissingConfigurationError,
  processExitCode,
  UsageError,
} from "../src/support/errors";

describe("exitCodeFor", () => {
  it.each([
    ["unauthorized", 401, 4],
    ["forbidden", 403, 4],
    ["not_found", 404, 5],
    ["conflict", 409, 1],
    ["internal", 500, 1],
    ["network_error", 0, 1],
    ["bad_request", 400, 1],
    ["aborted", 0, 130],
  ])("maps %s (%d) to %d", (code, status, exit) => {
    expect(exitCodeFor(new ArkerError(code, "x", status))).toBe(exit);
  });

  it("maps a missing key or region, found by the CLI's own resolution, to 4", () => {
    expect(exitCodeFor(new MissingConfigurationError("apiKey"))).toBe(EXIT_CODES.auth);
    expect(exitCodeFor(new MissingConfigurationError("region"))).toBe(EXIT_CODES.auth);
    expect(new MissingConfigurationError("region").setting).toBe("region");
  });

  it("never reads core's message text: an ArkerError that merely says so is a plain failure", () => {
    expect(
      exitCodeFor(
        new ArkerError("bad_request", "apiKey is required; pass apiKey or set ARKER_API_KEY", 400),
      ),
    ).toBe(EXIT_CODES.failure);
    expect(hintFor(new ArkerError("bad_request", "region or baseUrl is required", 400))).toBeNull();
  });

  it("maps usage errors to 2, CLI errors to their code, anything else to 1", () => {
    expect(exitCodeFor(new UsageError("bad flag"))).toBe(2);
    expect(exitCodeFor(new CliError("local_io", "nope", 7))).toBe(7);
    expect(exitCodeFor(new Error("boom"))).toBe(1);
    expect(exitCodeFor("string")).toBe(1);
  });
});

describe("formatError", () => {
  it("prints code, message and request id once", () => {
    const error = new ArkerError("not_found", "file not found: /x", 404, { requestId: "req_1" });
    expect(formatError(error)).toBe("arker: not_found: file not found: /x (request req_1)");
  });

  it("leaves out a missing request id", () => {
    expect(formatError(new ArkerError("internal", "boom", 500))).toBe("arker: internal: boom");
    expect(formatError(new UsageError("--limit must be a number"))).toBe(
      "arker: usage: --limit must be a number",
    );
  });
});

describe("hintFor", () => {
  it("hints at the key for missing and rejected keys", () => {
    expect(hintFor(new MissingConfigurationError("apiKey"))).toBe(API_KEY_HINT);
    expect(hintFor(new ArkerError("unauthorized", "unknown key", 401))).toMatch(/ARKER_API_KEY/);
    expect(hintFor(new MissingConfigurationError("region"))).toMatch(/ARKER_REGION/);
    expect(hintFor(new ArkerError("not_found", "x", 404))).toBeNull();
  });
});

describe("processExitCode", () => {
  it("passes 0-255 through and turns anything else into 1", () => {
    expect(processExitCode(0)).toBe(0);
    expect(processExitCode(3)).toBe(3);
    expect(processExitCode(255)).toBe(255);
    expect(processExitCode(256)).toBe(1);
    expect(processExitCode(-1)).toBe(1);
    expect(processExitCode(null)).toBe(1);
    expect(processExitCode(1.5)).toBe(1);
  });
});
