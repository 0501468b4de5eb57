import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, MAX_ATTEMPTS } from "../src/index";
import {
  isRetryableResponse,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayMs,
} from "../src/internal";

describe("retry policy (docs/arker-api.md §3)", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 4, baseDelayMs: 200, maxDelayMs: 2000 });
    expect(resolveRetryPolicy(undefined)).toEqual(DEFAULT_RETRY);
    expect(resolveRetryPolicy(false).attempts).toBe(1);
    expect(resolveRetryPolicy({ attempts: 2 })).toEqual({
      attempts: 2,
      baseDelayMs: 200,
      maxDelayMs: 2000,
    });
  });

  it("clamps nonsense to sane bounds instead of retrying forever or arming broken timers", () => {
    // NaN attempts used to make `attempt >= attempts` never true: endless retries.
    expect(resolveRetryPolicy({ attempts: Number.NaN }).attempts).toBe(4);
    expect(resolveRetryPolicy({ attempts: Number.POSITIVE_INFINITY }).attempts).toBe(MAX_ATTEMPTS);
    expect(resolveRetryPolicy({ attempts: 0 }).attempts).toBe(1);
    expect(resolveRetryPolicy({ attempts: -3 }).attempts).toBe(1);
    expect(resolveRetryPolicy({ attempts: 2.7 }).attempts).toBe(2);
    expect(resolveRetryPolicy({ attempts: "3" as unknown as number }).attempts).toBe(4);
    expect(resolveRetryPolicy({ baseDelayMs: -5, maxDelayMs: Number.NaN })).toEqual({
      attempts: 4,
      baseDelayMs: 0,
      maxDelayMs: 2000,
    });
    expect(resolveRetryPolicy({ maxDelayMs: 1e12 }).maxDelayMs).toBe(2 ** 31 - 1);
  });

  it.each([429, 502, 503, 504])("retries HTTP %i", (status) => {
    expect(isRetryableResponse(status, "whatever", "")).toBe(true);
  });

  it.each(["routing_unavailable", "unavailable", "temporarily_unavailable"])(
    "retries code %s",
    (code) => {
      expect(isRetryableResponse(500, code, "")).toBe(true);
    },
  );

  it.each(["503", "Service Unavailable", "throttle", "SlowDown", "ThrottlingException"])(
    "retries internal errors hinting %s",
    (hint) => {
      expect(isRetryableResponse(500, "internal", `upstream said ${hint}`)).toBe(true);
    },
  );

  it.each([
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
    [409, "conflict"],
    [409, "vm_busy"],
    [413, "payload_too_large"],
    [422, "unsupported_operation"],
    [500, "internal"],
    [501, "not_implemented"],
  ])("does not retry %i %s", (status, code) => {
    expect(isRetryableResponse(status, code, "plain failure")).toBe(false);
  });

  it("keeps each backoff within min(max, base·2^n) + 0–50 ms", () => {
    const policy = DEFAULT_RETRY;
    for (let retry = 1; retry <= 6; retry++) {
      const floor = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
      expect(retryDelayMs(policy, retry, null, () => 0)).toBe(floor);
      expect(retryDelayMs(policy, retry, null, () => 0.999999)).toBe(floor + 50);
    }
    expect(retryDelayMs(policy, 1, null, () => 0)).toBe(200);
    expect(retryDelayMs(policy, 5, null, () => 0)).toBe(2000);
  });

  it("lets Retry-After replace the delay, capped at maxDelayMs", () => {
    expect(retryDelayMs(DEFAULT_RETRY, 1, 1500)).toBe(1500);
    expect(retryDelayMs(DEFAULT_RETRY, 1, 30_000)).toBe(2000);
  });

  it("retries an internal error only for a transient hint, and a hint only under internal", () => {
    expect(isRetryableResponse(500, "internal", "upstream said 503")).toBe(true);
    expect(isRetryableResponse(500, "internal", "disk on fire")).toBe(false);
    expect(isRetryableResponse(400, "bad_request", "503 Service Unavailable")).toBe(false);
    expect(isRetryableResponse(409, "conflict", "throttle")).toBe(false);
  });

  it.each([null, undefined, "", "   "])("reads a Retry-After of %j as absent", (value) => {
    expect(parseRetryAfter(value)).toBeNull();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
