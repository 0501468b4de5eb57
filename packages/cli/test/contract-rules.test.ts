import {
  envProblem,
  idempotencyKeyProblem,
  limitProblem,
  parseLogLevel,
  pathProblem,
} from "@arker-ai/core/contract";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseCwd,
  parseEnvAssignment,
  parseIdempotencyKey,
  parseLimit,
} from "../src/support/parse-arguments";
import { cliFor, rejectsAsUsage as rejects, temporaryHome } from "./harness";

// The CLI rejects exactly what the contract's rules reject: each case is checked
// against the rule itself, not against a hard-coded answer.
describe("the CLI applies the contract's rules", () => {
  it.each(["A", "_x9", "PATH", "a1", "9A", "A-B", "A B", "A.B", "é", ""])(
    "--env name %j",
    (name) => {
      const contract = envProblem({ [name]: "v" }) !== undefined;
      expect(rejects(() => parseEnvAssignment(`${name}=v`))).toBe(contract);
    },
  );

  it.each([
    "/",
    "/tmp",
    "/srv/app/",
    "relative",
    "./here",
    "",
    "/a/../b",
    "/a/..",
    "/a/b..c",
    "/a\0b",
    `/${"x".repeat(4095)}`,
    `/${"x".repeat(4096)}`,
  ])("--cwd %j", (cwd) => {
    expect(rejects(() => parseCwd(cwd))).toBe(pathProblem(cwd) !== undefined);
  });

  it.each(["0", "1", "50", "999", "1000", "1001", "-1", "100000"])("--limit %s", (text) => {
    expect(rejects(() => parseLimit(text))).toBe(limitProblem(Number(text)) !== undefined);
  });

  it.each(["a", "key-1", "x".repeat(64), "x".repeat(65), "has space", "", "tab\tkey", "ünï"])(
    "--idempotency-key %j",
    (key) => {
      expect(rejects(() => parseIdempotencyKey(key))).toBe(
        idempotencyKeyProblem(key) !== undefined,
      );
    },
  );

  it("words the contract's problem for the flag", () => {
    expect(() => parseLimit("0")).toThrow(/^--limit must be an integer from 1 to 1000; got 0$/);
    expect(() => parseCwd("tmp")).toThrow(/^--cwd must be absolute: tmp$/);
    expect(() => parseIdempotencyKey("a b")).toThrow(/^--idempotency-key must be 1-64/);
    expect(() => parseEnvAssignment("9A=1")).toThrow(/^--env has an invalid variable name: "9A"/);
  });
});

describe("ARKER_LOG is read by the contract's parseLogLevel", () => {
  let fake: FakeArker;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    fake = await createFakeArker({ listen: true, python: false });
    cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
  });

  afterAll(async () => {
    await fake?.close();
  });

  const TRACE = /^arker GET \S+ 200 /m;
  const WARNING =
    /^arker: warning: ARKER_LOG=.* is not one of debug, info, warn, error, off; SDK logging is off$/m;

  it.each(["debug", "DEBUG", " debug ", "info", "warn", "error", "off", "loud", "verbose", "2"])(
    "ARKER_LOG=%j",
    async (value) => {
      const result = await cli(["ls", "--json"], { env: { ARKER_LOG: value } });
      expect(result.code, result.stderr).toBe(0);
      const level = parseLogLevel(value);
      // An unknown name: one warning line and no SDK lines, as the SDK treats it (off).
      expect(result.stderr.match(new RegExp(WARNING, "gm"))?.length ?? 0).toBe(
        level === undefined ? 1 : 0,
      );
      expect(TRACE.test(result.stderr)).toBe(level === "debug");
    },
  );

  it("unset or empty keeps the CLI default (warn) without a warning", async () => {
    for (const env of [{}, { ARKER_LOG: "" }, { ARKER_LOG: "  " }]) {
      const result = await cli(["ls", "--json"], { env });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
    }
  });

  it("rejects a bad --cwd and --env as usage errors before any request", async () => {
    const vm = "vm_00000000000000000000000000";
    const cwd = await cli(["run", vm, "--cwd", "relative", "--", "true"]);
    expect(cwd.code).toBe(2);
    expect(cwd.stderr).toMatch(/^arker: usage: --cwd must be absolute: relative$/m);
    const env = await cli(["sessions", "create", vm, "--env", "9A=1"]);
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^arker: usage: --env has an invalid variable name/m);
    expect(fake.requests.some((entry) => entry.path.includes(vm))).toBe(false);
  });
});
