import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArkerLogger } from "../src/index";
import { resolveLogLevel, stderrLogger } from "../src/internal";

// The log level and the default sink (shared-rules.test.ts covers the once-per-value
// warning through a client). Each value here is unique: warnings are once per process.
function sink() {
  const warnings: string[] = [];
  const logger: ArkerLogger = {
    debug: () => {},
    info: () => {},
    warn: (line) => warnings.push(line),
    error: () => {},
  };
  return { logger, warnings };
}

describe("resolveLogLevel", () => {
  it.each([[undefined], [""], ["   "]])("ARKER_LOG %j: off, with no warning", (value) => {
    const { logger, warnings } = sink();
    expect(resolveLogLevel(undefined, value, logger)).toBe("off");
    expect(warnings).toEqual([]);
  });

  it("the option wins over ARKER_LOG, without a warning for a bad one", () => {
    const { logger, warnings } = sink();
    expect(resolveLogLevel("error", "nonsense-option-wins", logger)).toBe("error");
    expect(warnings).toEqual([]);
  });

  it("quotes an unknown value trimmed, and warns once for it however it is padded", () => {
    const { logger, warnings } = sink();
    resolveLogLevel(undefined, "  loud-trimmed  ", logger);
    resolveLogLevel(undefined, "loud-trimmed", logger);
    expect(warnings).toEqual([
      'arker: ARKER_LOG="loud-trimmed" is not a log level (debug, info, warn, error, off); logging stays off',
    ]);
  });

  it("quotes at most 40 characters of an unknown value", () => {
    const { logger, warnings } = sink();
    resolveLogLevel(undefined, `${"v".repeat(40)}TAIL-NOT-SHOWN`, logger);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`ARKER_LOG="${"v".repeat(40)}" is not a log level`);
  });
});

describe("stderrLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes every level to stderr (console.error), never stdout", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    stderrLogger.debug("d");
    stderrLogger.info("i");
    stderrLogger.warn("w");
    stderrLogger.error("e");
    expect(error.mock.calls).toEqual([["d"], ["i"], ["w"], ["e"]]);
    expect(log).not.toHaveBeenCalled();
  });
});
