import { describe, expect, it } from "vitest";
import { ArkerError } from "../src/index";
import { resolveConnection } from "../src/internal";

const KEY = "ark_live_secret123";

describe("resolveConnection (docs/arker-api.md §1)", () => {
  it("builds the compute host from region and the default provider", () => {
    const c = resolveConnection({ apiKey: KEY, region: " US-West-2 " }, {});
    expect(c.computeBaseUrl).toBe("https://aws-us-west-2.arker.ai/api");
    expect(c.controlBaseUrl).toBe("https://arker.ai/api");
    expect(c.provider).toBe("aws");
  });

  it("reads the provider from a legacy combined region", () => {
    expect(
      resolveConnection({ apiKey: KEY, region: "aws-burst-us-west-2" }, {}).computeBaseUrl,
    ).toBe("https://aws-burst-us-west-2.arker.ai/api");
    expect(resolveConnection({ apiKey: KEY, region: "aws-eu-central-1" }, {}).computeBaseUrl).toBe(
      "https://aws-eu-central-1.arker.ai/api",
    );
  });

  it.each([
    ["a line feed", "ark_live_a\nX-Injected: 1"],
    ["a carriage return", "ark_live_a\rb"],
    ["a NUL", "ark_live_a\0b"],
    ["a tab", "ark_live_a\tb"],
    ["an inner space", "ark_live_a b"],
    ["DEL", "ark_live_a\x7fb"],
    ["a non-ASCII letter", "ark_live_é"],
  ])("refuses a key with %s, without echoing it", (_label, apiKey) => {
    for (const options of [{ apiKey, region: "us-west-2" }, { region: "us-west-2" }]) {
      const env = { ARKER_API_KEY: apiKey };
      let caught: unknown;
      try {
        resolveConnection(options, env);
      } catch (error) {
        caught = error;
      }
      expect(ArkerError.is(caught)).toBe(true);
      const error = caught as ArkerError;
      expect([error.code, error.status]).toEqual(["bad_request", 400]);
      expect(error.message).toContain("apiKey must be printable ASCII");
      expect(error.message).not.toContain("ark_live_a");
    }
  });

  it("falls back to every ARKER_* variable", () => {
    const c = resolveConnection(
      {},
      {
        ARKER_API_KEY: KEY,
        ARKER_REGION: "us-east-1",
        ARKER_PROVIDER: "aws-burst",
        ARKER_CONTROL_BASE_URL: "http://ctl.test/api/",
      },
    );
    expect(c.apiKey).toBe(KEY);
    expect(c.computeBaseUrl).toBe("https://aws-burst-us-east-1.arker.ai/api");
    expect(c.controlBaseUrl).toBe("http://ctl.test/api");
  });

  it("prefers options over the environment", () => {
    const c = resolveConnection(
      { apiKey: "ark_live_option", region: "us-west-2" },
      { ARKER_API_KEY: KEY, ARKER_REGION: "eu-west-1" },
    );
    expect(c.apiKey).toBe("ark_live_option");
    expect(c.region).toBe("us-west-2");
  });

  it("sends control calls to baseUrl unless controlBaseUrl is set", () => {
    expect(
      resolveConnection({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/" }, {}).controlBaseUrl,
    ).toBe("http://127.0.0.1:9");
    const both = resolveConnection(
      { apiKey: KEY, baseUrl: "http://a.test", controlBaseUrl: "http://b.test" },
      {},
    );
    expect([both.computeBaseUrl, both.controlBaseUrl]).toEqual(["http://a.test", "http://b.test"]);
    expect(
      resolveConnection({ apiKey: KEY }, { ARKER_BASE_URL: "http://env.test" }).computeBaseUrl,
    ).toBe("http://env.test");
  });

  it("throws bad_request for a missing key, naming the variable", () => {
    const error = catchError(() => resolveConnection({ region: "us-west-2" }, {}));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(error.message).toBe("bad_request: apiKey is required; pass apiKey or set ARKER_API_KEY");
  });

  it("throws bad_request for a missing region without baseUrl", () => {
    const error = catchError(() => resolveConnection({ apiKey: KEY }, {}));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("region or baseUrl is required");
    expect(error.message).not.toContain(KEY);
  });

  it("rejects a malformed region, provider or URL", () => {
    expect(catchError(() => resolveConnection({ apiKey: KEY, region: "mars" }, {})).code).toBe(
      "bad_request",
    );
    expect(
      catchError(() => resolveConnection({ apiKey: KEY, region: "us-west-2", provider: "gcp" }, {}))
        .code,
    ).toBe("bad_request");
    expect(catchError(() => resolveConnection({ apiKey: KEY, baseUrl: "ftp://x" }, {})).code).toBe(
      "bad_request",
    );
  });
});

function catchError(fn: () => unknown): ArkerError {
  try {
    fn();
  } catch (error) {
    if (ArkerError.is(error)) return error;
    throw error;
  }
  throw new Error("expected an ArkerError");
}
