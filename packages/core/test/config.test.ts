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

describe("resolveConnection: regions, refusals and defaults", () => {
  it.each([
    ["us-gov-west-1", "aws", "us-gov-west-1"],
    ["ap-southeast-12", "aws", "ap-southeast-12"],
    ["aws-us-gov-west-1", "aws", "us-gov-west-1"],
  ])("accepts the region %j as provider %s, region %s", (given, provider, region) => {
    const c = resolveConnection({ apiKey: KEY, region: given }, {});
    expect([c.provider, c.region]).toEqual([provider, region]);
    expect(c.computeBaseUrl).toBe(`https://${provider}-${region}.arker.ai/api`);
  });

  it.each(["xus-west-2", "9us-west-2", "us-west-2x", "us-west-", "us-west"])(
    "refuses the region %j, quoting it",
    (region) => {
      expect(catchError(() => resolveConnection({ apiKey: KEY, region }, {})).message).toBe(
        `bad_request: region must look like "us-west-2"; got "${region}"`,
      );
    },
  );

  it("names the known providers when refusing one", () => {
    const error = catchError(() =>
      resolveConnection({ apiKey: KEY, region: "us-west-2", provider: "GCP" }, {}),
    );
    expect(error.message).toBe('bad_request: provider must be one of aws-burst, aws; got "gcp"');
  });

  it.each([
    [{ baseUrl: "ftp://x" }, 'bad_request: baseUrl must be an absolute http(s) URL; got "ftp://x"'],
    [
      { baseUrl: "not a url" },
      'bad_request: baseUrl must be an absolute http(s) URL; got "not a url"',
    ],
    [
      { baseUrl: "http://a.test", controlBaseUrl: "ftp://c" },
      'bad_request: controlBaseUrl must be an absolute http(s) URL; got "ftp://c"',
    ],
    [
      { region: "us-west-2", controlBaseUrl: "nope" },
      'bad_request: controlBaseUrl must be an absolute http(s) URL; got "nope"',
    ],
  ])("refuses a bad URL, naming the option: %j", (options, message) => {
    expect(catchError(() => resolveConnection({ apiKey: KEY, ...options }, {})).message).toBe(
      message,
    );
  });

  it("drops every trailing slash of a base URL", () => {
    const c = resolveConnection({ apiKey: KEY, baseUrl: "http://a.test/api//" }, {});
    expect(c.computeBaseUrl).toBe("http://a.test/api");
  });

  it("reads a blank option as not given, falling back to the environment", () => {
    const c = resolveConnection(
      { apiKey: "   ", region: " ", baseUrl: "  " },
      { ARKER_API_KEY: KEY, ARKER_BASE_URL: "http://env.test" },
    );
    expect([c.apiKey, c.region, c.computeBaseUrl]).toEqual([KEY, null, "http://env.test"]);
  });

  it("reads process.env when no environment map is given", () => {
    const saved = process.env.ARKER_BASE_URL;
    process.env.ARKER_BASE_URL = "http://process-env.test";
    try {
      expect(resolveConnection({ apiKey: KEY }).computeBaseUrl).toBe("http://process-env.test");
    } finally {
      if (saved === undefined) delete process.env.ARKER_BASE_URL;
      else process.env.ARKER_BASE_URL = saved;
    }
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
