import { describe, expect, it } from "vitest";
import {
  parseLogLevel as contractLogLevel,
  envProblem,
  limitProblem,
  pathProblem,
} from "../src/contract";
import { ArkerClient, type ArkerLogger, parseLogLevel } from "../src/index";
import { validateEnv, validateLimit, validatePath } from "../src/internal";

// The SDK applies the contract's rules, not copies: for each input, the SDK's check
// refuses exactly when the contract's function names a problem, with its sentence.
function verdict(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^bad_request: /, "");
  }
}

const ENV_CASES: unknown[] = [
  { A: "1" },
  { _b2: "", PATH: "/bin" },
  { "1A": "x" },
  { "A-B": "x" },
  { "A=B": "x" },
  { "": "x" },
  { "A B": "x" },
  { é: "x" },
  { A: 1 },
  [],
  "A=1",
];

const PATH_CASES: unknown[] = [
  "/home/user",
  "/",
  "/a/./b",
  "relative",
  "./x",
  "",
  "/a/../b",
  "/..",
  "/a\0b",
  `/${"x".repeat(4095)}`,
  `/${"x".repeat(4096)}`,
  42,
];

const LIMIT_CASES: unknown[] = [1, 50, 1000, 0, 1001, 1.5, "5", Number.NaN];

const LOG_CASES = ["debug", " WARN ", "Info", "off", "error", "", "verbose", "trace", undefined];

describe("the SDK applies the contract's shared rules", () => {
  it.each(ENV_CASES.map((env) => [env]))("env %j", (env) => {
    expect(verdict(() => validateEnv(env))).toBe(envProblem(env));
  });

  it.each(PATH_CASES.map((path) => [path]))("path %j", (path) => {
    expect(verdict(() => validatePath(path))).toBe(pathProblem(path));
  });

  it.each(PATH_CASES.map((path) => [path]))("cwd %j", (cwd) => {
    expect(verdict(() => validatePath(cwd, "cwd"))).toBe(pathProblem(cwd, "cwd"));
  });

  it.each(LIMIT_CASES.map((limit) => [limit]))("limit %j", (limit) => {
    expect(verdict(() => validateLimit(limit))).toBe(limitProblem(limit));
  });

  it.each(LOG_CASES.map((value) => [value]))("log level %j", (value) => {
    expect(parseLogLevel(value)).toBe(contractLogLevel(value));
  });
});

describe("an unknown ARKER_LOG", () => {
  function clientWith(value: string) {
    const warnings: string[] = [];
    const debug: string[] = [];
    const logger: ArkerLogger = {
      debug: (line) => debug.push(line),
      info: () => {},
      warn: (line) => warnings.push(line),
      error: () => {},
    };
    const client = new ArkerClient({
      apiKey: "ark_live_k",
      baseUrl: "http://127.0.0.1:1",
      env: { ARKER_LOG: value },
      logger,
    });
    return { client, warnings, debug };
  }

  it("leaves logging off and warns once per value", async () => {
    const first = clientWith("verbose-1");
    first.client.logger.debug("hidden");
    first.client.logger.warn("hidden too");
    const second = clientWith("verbose-1");
    expect(first.warnings).toEqual([
      'arker: ARKER_LOG="verbose-1" is not a log level (debug, info, warn, error, off); logging stays off',
    ]);
    expect(first.debug).toEqual([]);
    expect(second.warnings).toEqual([]);
    await Promise.all([first.client.close(), second.client.close()]);
  });

  it("a known value sets the level without a warning", async () => {
    const known = clientWith("DEBUG");
    known.client.logger.debug("shown");
    expect(known.warnings).toEqual([]);
    expect(known.debug).toEqual(["shown"]);
    await known.client.close();
  });
});
