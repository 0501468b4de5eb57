import { describe, expect, it } from "vitest";
import { ArkerClient, ArkerError } from "../src/index";
import {
  CALL_OPTION_KEYS,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  suggestKey,
} from "../src/internal";

// Issue 11, item 14: a caller porting the real client's wire-named options
// ({ session_id }) gets a bad_request naming the key and the right spelling.
function refusal(call: () => unknown): ArkerError {
  try {
    call();
  } catch (error) {
    if (ArkerError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a bad_request");
}

const RUN_KEYS = ["background", "timeout", "sessionId", "env", "cwd", ...CALL_OPTION_KEYS];

describe("rejectUnknownOptions", () => {
  it("names the snake_case key and its camelCase spelling", () => {
    const error = refusal(() => rejectUnknownOptions({ session_id: "s" }, RUN_KEYS, "run"));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(error.message).toContain("run: unknown option session_id; did you mean sessionId?");
  });

  it("suggests across case, dashes and small typos, and nothing for a stranger", () => {
    expect(suggestKey("timeout_ms", RUN_KEYS)).toBe("timeoutMs");
    expect(suggestKey("session-id", RUN_KEYS)).toBe("sessionId");
    expect(suggestKey("SESSIONID", RUN_KEYS)).toBe("sessionId");
    expect(suggestKey("sesionId", RUN_KEYS)).toBe("sessionId");
    expect(suggestKey("backgruond", RUN_KEYS)).toBe("background");
    expect(suggestKey("idempotency_key", RUN_KEYS)).toBe("idempotencyKey");
    expect(suggestKey("zzz", RUN_KEYS)).toBeUndefined();
    expect(suggestKey("command", RUN_KEYS)).toBeUndefined();
    // A short key matches nothing by distance: "ev" is not "env".
    expect(suggestKey("ev", RUN_KEYS)).toBeUndefined();
  });

  it("counts two swapped neighbours as one typo", () => {
    expect(suggestKey("ubutnu", ["ubuntu", "ubuntu-full"])).toBe("ubuntu");
    expect(suggestKey("tiemout", RUN_KEYS)).toBe("timeout");
  });

  it("counts a swap only where two neighbours really swapped, and as one edit", () => {
    // Each pair is three edits apart (no suggestion at a 7+ letter key); a swap step that
    // matched one neighbour only, or counted a swap as -1, would bring it within two.
    for (const [key, known] of [
      ["bakcgrxxnd", "background"],
      ["cbabaca", "acabbaa"],
      ["abbacaa", "bcbccaa"],
      ["aaabacc", "aacacac"],
    ] as Array<[string, string]>) {
      expect(suggestKey(key, [known]), `${key} → ${known}`).toBeUndefined();
    }
  });

  it("keeps the first of two keys equally close, and takes a later closer one", () => {
    expect(suggestKey("sesion", ["session", "sesiona"])).toBe("session");
    expect(suggestKey("sesion", ["session", "ses-ion"])).toBe("ses-ion");
  });

  it("words a key without a suggestion plainly, and keeps control characters out", () => {
    expect(refusal(() => rejectUnknownOptions({ zzz: 1 }, RUN_KEYS, "run")).message).toMatch(
      /run: unknown option zzz$/,
    );
    const message = refusal(() => rejectUnknownOptions({ "a\nb": 1 }, RUN_KEYS, "run")).message;
    expect(message).toContain("unknown option a?b");
  });

  it("suggests nothing for a one-letter key: no known key is that close", () => {
    for (const key of ["d", "s", "c", "e", "x"]) expect(suggestKey(key, RUN_KEYS)).toBeUndefined();
    expect(suggestKey("_sessionid", RUN_KEYS)).toBe("sessionId");
  });

  it("cuts a key longer than 64 characters in the message, and shows one of 64 whole", () => {
    const long = `q${"z".repeat(69)}`;
    const cut = refusal(() => rejectUnknownOptions({ [long]: 1 }, RUN_KEYS, "run")).message;
    expect(cut).toMatch(new RegExp(`unknown option ${long.slice(0, 64)}…$`));
    const whole = `q${"z".repeat(63)}`;
    const shown = refusal(() => rejectUnknownOptions({ [whole]: 1 }, RUN_KEYS, "run")).message;
    expect(shown).toMatch(new RegExp(`unknown option ${whole}$`));
  });

  it("refuses an unknown key even when its value is undefined", () => {
    expect(() => rejectUnknownOptions({ session_id: undefined }, RUN_KEYS, "run")).toThrow(
      /unknown option session_id/,
    );
  });

  it("accepts known keys, a missing options object and non-objects", () => {
    expect(() =>
      rejectUnknownOptions({ sessionId: "s", signal: undefined }, RUN_KEYS, "run"),
    ).not.toThrow();
    expect(() => rejectUnknownOptions(undefined, RUN_KEYS, "run")).not.toThrow();
    expect(() => rejectUnknownOptions(null, RUN_KEYS, "run")).not.toThrow();
    expect(() => rejectUnknownOptions("x", RUN_KEYS, "run")).not.toThrow();
  });

  it("CallOptions-only methods accept signal, timeoutMs and idempotencyKey only", () => {
    expect([...CALL_OPTION_KEYS].sort()).toEqual(["idempotencyKey", "signal", "timeoutMs"]);
    expect(() => rejectUnknownCallOptions({ timeoutMs: 1 }, "getVm")).not.toThrow();
    expect(refusal(() => rejectUnknownCallOptions({ timeout_ms: 1 }, "getVm")).message).toContain(
      "getVm: unknown option timeout_ms; did you mean timeoutMs?",
    );
  });

  it("optionKeys lists the record's keys", () => {
    expect(optionKeys<{ a?: number; b: string }>({ a: true, b: true })).toEqual(["a", "b"]);
  });
});

describe("ArkerClient options", () => {
  it("refuses an unknown client option before anything else", () => {
    const error = refusal(
      () => new ArkerClient({ apiKey: "k", baseUrl: "http://x", base_url: "y" } as never),
    );
    expect(error.message).toContain("ArkerClient: unknown option base_url; did you mean baseUrl?");
    expect(refusal(() => new ArkerClient({ api_key: "k" } as never)).message).toContain(
      "did you mean apiKey?",
    );
  });

  it("refuses an unknown retry option", () => {
    const error = refusal(
      () =>
        new ArkerClient({ apiKey: "k", baseUrl: "http://x", retry: { max_attempts: 2 } } as never),
    );
    expect(error.message).toContain("ArkerClient retry: unknown option max_attempts");
  });

  it("accepts every documented option", async () => {
    const client = new ArkerClient({
      apiKey: "k",
      region: "us-west-2",
      provider: "aws",
      baseUrl: "http://127.0.0.1:1",
      controlBaseUrl: "http://127.0.0.1:1",
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      timeoutMs: 1000,
      maxResponseBytes: 1024,
      maxConnections: 1,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      logLevel: "off",
      env: {},
    });
    await client.close();
  });
});
