import { describe, expect, it } from "vitest";
import { DEFAULT_START_TIME } from "../src/support/clock.js";
import { type FakeArkerOptions, resolveOptions } from "../src/support/options.js";

const MIB = 1024 * 1024;

/** The TypeError message `resolveOptions` throws for these options. */
function refusal(options: FakeArkerOptions): string {
  try {
    resolveOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("resolveOptions", () => {
  it("applies the documented defaults, with a fresh random key and control token", () => {
    const { apiKey, controlToken, ...rest } = resolveOptions();
    expect(rest).toEqual({
      seed: 1,
      startTime: DEFAULT_START_TIME,
      clock: "auto",
      syncWindowMs: 30_000,
      maxFileBytes: 100 * MIB,
      // 4/3 of the largest file (its base64) plus 1 MiB of JSON around it.
      maxBodyBytes: Math.ceil((100 * MIB * 4) / 3) + MIB,
      maxCommandMs: 60_000,
      maxOutputBytes: 128 * MIB,
      maxVmBytes: 512 * MIB,
      durability: true,
      presignedUrlTtlSeconds: 900,
      region: "us-west-2",
      provider: "aws",
      orgId: "org_test",
      allowedHosts: [],
      python: true,
    });
    expect(apiKey).toMatch(/^ark_test_[0-9a-z]{32}$/);
    expect(controlToken).toMatch(/^fake_ctl_[0-9a-z]{32}$/);
    expect(resolveOptions().apiKey).not.toBe(apiKey);
    expect(DEFAULT_START_TIME).toBe(Date.parse("2025-01-01T00:00:00Z"));
  });

  it("keeps every value given, falsy ones included", () => {
    const given = {
      seed: 0,
      clock: "manual",
      syncWindowMs: 0,
      maxFileBytes: 0,
      maxBodyBytes: 0,
      maxCommandMs: 1,
      maxOutputBytes: 1,
      maxVmBytes: 0,
      durability: false,
      presignedUrlTtlSeconds: 0,
      region: "",
      provider: "",
      orgId: "",
      apiKey: "",
      python: false,
    } satisfies FakeArkerOptions;
    expect(resolveOptions({ ...given, startTime: 0 })).toMatchObject({ ...given, startTime: 0 });
  });

  it("rounds the default body limit up from 4/3 of maxFileBytes", () => {
    expect(resolveOptions({ maxFileBytes: 1 }).maxBodyBytes).toBe(2 + MIB);
    expect(resolveOptions({ maxFileBytes: 3 }).maxBodyBytes).toBe(4 + MIB);
  });

  it("takes the start time as epoch ms, a Date or an RFC 3339 string", () => {
    const at = Date.parse("2030-05-06T07:08:09Z");
    expect(resolveOptions({ startTime: at }).startTime).toBe(at);
    expect(resolveOptions({ startTime: new Date(at) }).startTime).toBe(at);
    expect(resolveOptions({ startTime: "2030-05-06T07:08:09Z" }).startTime).toBe(at);
    expect(refusal({ startTime: "soon" })).toBe("startTime is not a valid time: soon");
    expect(refusal({ startTime: Number.NaN })).toBe("startTime is not a valid time: NaN");
    expect(refusal({ startTime: new Date(Number.NaN) })).toMatch(/^startTime is not a valid time/);
  });

  it("refuses a negative or non-finite sync window and a non-integer or negative file size", () => {
    expect(refusal({ syncWindowMs: -1 })).toBe("syncWindowMs must be ≥ 0");
    expect(refusal({ syncWindowMs: Number.POSITIVE_INFINITY })).toBe("syncWindowMs must be ≥ 0");
    expect(resolveOptions({ syncWindowMs: 0.5 }).syncWindowMs).toBe(0.5);
    expect(refusal({ maxFileBytes: -1 })).toBe("maxFileBytes must be an integer ≥ 0");
    expect(refusal({ maxFileBytes: 1.5 })).toBe("maxFileBytes must be an integer ≥ 0");
  });

  it("refuses limits that are not integers in range, naming the option", () => {
    expect(refusal({ maxBodyBytes: -1 })).toBe("maxBodyBytes must be an integer ≥ 0");
    expect(refusal({ maxVmBytes: 0.5 })).toBe("maxVmBytes must be an integer ≥ 0");
    expect(refusal({ maxVmBytes: 2 ** 53 })).toBe("maxVmBytes must be an integer ≥ 0");
    expect(refusal({ maxCommandMs: 0 })).toBe("maxCommandMs must be an integer > 0");
    expect(refusal({ maxOutputBytes: 1.5 })).toBe("maxOutputBytes must be an integer > 0");
    expect(refusal({ maxOutputBytes: 2 ** 53 })).toBe("maxOutputBytes must be an integer > 0");
  });

  it("refuses an unknown clock mode, listing the modes", () => {
    expect(refusal({ clock: "fast" as never })).toBe(
      "clock must be one of auto, real, manual, got fast",
    );
  });

  it("lower-cases allowed hosts and refuses anything but non-empty strings in an array", () => {
    expect(resolveOptions({ allowedHosts: ["Arker.TEST", "lan"] }).allowedHosts).toEqual([
      "arker.test",
      "lan",
    ]);
    const message = "allowedHosts must be an array of non-empty host names";
    expect(refusal({ allowedHosts: "arker.test" as never })).toBe(message);
    expect(refusal({ allowedHosts: ["ok", ""] })).toBe(message);
    expect(refusal({ allowedHosts: ["ok", 5 as never] })).toBe(message);
  });
});
