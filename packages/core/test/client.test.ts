import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, rejection, startServer } from "../../../test-support/local-server";
import { ArkerClient, type ArkerClientOptions, ArkerError, MAX_TIMEOUT_MS } from "../src/index";

const KEY = "ark_live_topsecret_0123456789";
const servers: Array<{ close(): Promise<void> }> = [];
const clients: ArkerClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = Parameters<typeof startServer>[0];

const asString = (item: unknown): string => String(item);

async function setup(handler: Handler, options: Partial<ArkerClientOptions> = {}) {
  const server = await startServer(handler);
  servers.push(server);
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: server.url,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 20 },
    logLevel: "debug",
    logger: { debug: sink, info: sink, warn: sink, error: sink },
    ...options,
  });
  clients.push(client);
  return { server, client, lines };
}

describe("ArkerClient request pipeline", () => {
  it("sends auth, JSON and an idempotency key to the compute host and parses the answer", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, { vm_id: "vm_1" }));
    const response = await client.request<{ vm_id: string }>({
      method: "POST",
      path: "/v1/fork",
      body: { source_vm_name: "ubuntu" },
    });
    expect(response).toEqual({
      data: { vm_id: "vm_1" },
      status: 200,
      requestId: "req_200",
      attempts: 1,
    });
    const seen = server.seen[0]!;
    expect(seen.url).toBe("/v1/fork");
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen.body.toString())).toEqual({ source_vm_name: "ubuntu" });
    expect(seen.headers["idempotency-key"]).toMatch(/^[\x21-\x7e]{1,64}$/);
  });

  it("encodes path segments and query values", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.call("listRuns", {
      params: { vm_id: "a b/c" },
      query: { limit: 5, cursor: undefined, state: "running" },
    });
    expect(server.seen[0]!.url).toBe("/v1/vms/a%20b%2Fc/runs?limit=5&state=running");
    expect(server.seen[0]!.headers["idempotency-key"]).toBeUndefined();
  });

  it.each([429, 502, 503, 504])("retries HTTP %i and keeps one idempotency key", async (status) => {
    const { server, client } = await setup((_req, res, index) =>
      index < 2
        ? json(res, status, { code: "unavailable", message: "busy" })
        : json(res, 200, { ok: true }),
    );
    const response = await client.request({
      method: "POST",
      path: "/v1/vms/vm_1/runs",
      body: { command: "true" },
    });
    expect(response.attempts).toBe(3);
    const keys = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it("retries a DELETE with one idempotency key, fresh for the next DELETE", async () => {
    const { server, client } = await setup((_req, res, index) =>
      index === 0
        ? json(res, 503, { code: "unavailable", message: "busy" })
        : json(res, 200, { deleted: true }),
    );
    const response = await client.request({ method: "DELETE", path: "/v1/vms/vm_1" });
    await client.request({ method: "DELETE", path: "/v1/vms/vm_2" });
    expect(response.attempts).toBe(2);
    const keys = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("uses a fresh key per logical call, the caller's key when given, none when disabled", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.request({ method: "POST", path: "/v1/fork", body: {} });
    await client.request({ method: "POST", path: "/v1/fork", body: {} });
    await client.request({
      method: "POST",
      path: "/v1/fork",
      body: {},
      idempotencyKey: "my-key-1",
    });
    await client.request({
      method: "POST",
      path: "/v1/vms/x/sync",
      body: {},
      idempotencyKey: false,
    });
    const keys = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe("my-key-1");
    expect(keys[3]).toBeUndefined();
  });

  it("rejects a malformed caller idempotency key before sending", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    const error = await rejection(
      client.request({ method: "POST", path: "/v1/fork", body: {}, idempotencyKey: "has space" }),
    );
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/idempotencyKey must be 1-64 printable ASCII characters/);
    expect(server.seen).toHaveLength(0);
  });

  it.each(["routing_unavailable", "temporarily_unavailable"])(
    "retries code %s on any status",
    async (code) => {
      const { server, client } = await setup((_req, res, index) =>
        index === 0 ? json(res, 500, { code, message: "x" }) : json(res, 200, {}),
      );
      await client.request({ method: "GET", path: "/v1/vms" });
      expect(server.seen).toHaveLength(2);
    },
  );

  it("retries internal errors that hint at throttling, and no others", async () => {
    const hinted = await setup((_req, res, index) =>
      index === 0
        ? json(res, 500, { code: "internal", message: "S3 SlowDown" })
        : json(res, 200, {}),
    );
    await hinted.client.request({ method: "GET", path: "/v1/vms" });
    expect(hinted.server.seen).toHaveLength(2);
    const plain = await setup((_req, res) => json(res, 500, { code: "internal", message: "boom" }));
    const error = await rejection(plain.client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status, error.retryable, plain.server.seen.length]).toEqual([
      "internal",
      500,
      false,
      1,
    ]);
  });

  it.each([
    [400, "bad_request"],
    [401, "unauthorized"],
    [404, "not_found"],
    [409, "conflict"],
    [422, "unsupported_operation"],
  ])("does not retry %i %s and reports it exactly", async (status, code) => {
    const { server, client } = await setup((_req, res) =>
      json(res, status, { code, message: "nope" }),
    );
    const error = await rejection(client.request({ method: "POST", path: "/v1/fork", body: {} }));
    expect(error).toBeInstanceOf(ArkerError);
    expect([error.code, error.status, error.message, error.requestId]).toEqual([
      code,
      status,
      `${code}: nope`,
      `req_${status}`,
    ]);
    expect(error.retryable).toBe(false);
    expect(server.seen).toHaveLength(1);
  });

  it("gives up after the configured attempts with the last error, marked retryable", async () => {
    const { server, client } = await setup(
      (_req, res) => json(res, 503, { code: "unavailable", message: "down" }),
      {
        retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status, error.retryable]).toEqual(["unavailable", 503, true]);
    expect(server.seen).toHaveLength(3);
  });

  it("tries once with retry: false", async () => {
    const { server, client } = await setup(
      (_req, res) => json(res, 503, { code: "unavailable", message: "down" }),
      { retry: false },
    );
    await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(server.seen).toHaveLength(1);
  });

  it("honours Retry-After, capped at maxDelayMs", async () => {
    const { client, lines } = await setup(
      (_req, res, index) =>
        index === 0
          ? json(res, 429, { code: "rate_limited", message: "slow" }, { "retry-after": "0.05" })
          : json(res, 200, {}),
      { retry: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 5000 } },
    );
    await client.request({ method: "GET", path: "/v1/vms" });
    expect(lines.find((l) => l.includes("arker retry 1"))).toContain("in 50ms after rate_limited");

    const capped = await setup(
      (_req, res, index) =>
        index === 0
          ? json(res, 429, { code: "rate_limited", message: "slow" }, { "retry-after": "30" })
          : json(res, 200, {}),
      { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 40 } },
    );
    await capped.client.request({ method: "GET", path: "/v1/vms" });
    expect(capped.lines.find((l) => l.includes("arker retry 1"))).toContain("in 40ms");
  });

  it("computes backoff delays within the policy's bounds", async () => {
    const { client, lines } = await setup(
      (_req, res) => json(res, 503, { code: "unavailable", message: "x" }),
      {
        retry: { attempts: 4, baseDelayMs: 2, maxDelayMs: 5 },
      },
    );
    await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    const delays = lines
      .filter((l) => l.includes("arker retry"))
      .map((l) => Number(/in (\d+)ms/.exec(l)![1]));
    expect(delays).toHaveLength(3);
    const floors = [2, 4, 5];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(floors[i]!);
      expect(delay).toBeLessThanOrEqual(floors[i]! + 50);
    });
  });

  // An hour of Retry-After against the test's own 5 s bound: a sleep that ignored the
  // signal would hang this test instead of passing late.
  it("aborts during a backoff sleep promptly, without another attempt", {
    timeout: 5_000,
  }, async () => {
    const { server, client, lines } = await setup(
      (_req, res) =>
        json(res, 503, { code: "unavailable", message: "x" }, { "retry-after": "3600" }),
      { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 3_600_000 } },
    );
    const controller = new AbortController();
    const pending = client.request({ method: "GET", path: "/v1/vms", signal: controller.signal });
    // The retry line is logged just before the sleep: the abort lands in the backoff.
    await waitFor(() => lines.some((line) => line.includes("in 3600000ms after unavailable")));
    controller.abort(new Error("user gave up"));
    const error = await rejection(pending);
    expect([error.code, error.status, error.retryable]).toEqual(["aborted", 0, false]);
    expect(server.seen).toHaveLength(1);
  });

  it("times out a silent attempt and reports network_error with status 0", async () => {
    const { server, client } = await setup(() => {}, {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      timeoutMs: 50,
    });
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status, error.retryable]).toEqual(["network_error", 0, true]);
    expect(error.message).toBe("network_error: request timed out after 50 ms");
    expect(server.seen).toHaveLength(2);
  });

  it.each([Number.NaN, -5, 0, Number.POSITIVE_INFINITY, 2 ** 31, 1e12])(
    "refuses a per-call or client timeoutMs of %s before sending (a timer past 2^31-1 ms fires at once)",
    async (timeoutMs) => {
      const { server, client } = await setup((_req, res) => json(res, 200, { ok: true }));
      const error = await rejection(
        client.request({ method: "GET", path: "/v1/health", timeoutMs }),
      );
      expect(error.code).toBe("bad_request");
      const transfer = await rejection(
        client.transfer({ method: "GET", url: `${server.url}/blob`, expectedBytes: 0, timeoutMs }),
      );
      expect(transfer.code).toBe("bad_request");
      expect(server.seen).toHaveLength(0);
      expect(() => new ArkerClient({ apiKey: KEY, baseUrl: server.url, timeoutMs })).toThrow(
        /bad_request: timeoutMs/,
      );
    },
  );

  it("accepts the longest timer Node can arm", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, { ok: true }));
    await client.request({ method: "GET", path: "/v1/health", timeoutMs: MAX_TIMEOUT_MS });
    expect(server.seen).toHaveLength(1);
  });

  it("retries a reset connection and succeeds", async () => {
    const { server, client } = await setup((_req, res, index) => {
      if (index === 0) res.socket?.destroy();
      else json(res, 200, { fine: true });
    });
    const response = await client.request<{ fine: boolean }>({
      method: "POST",
      path: "/v1/fork",
      body: {},
    });
    expect(response.data.fine).toBe(true);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]!.headers["idempotency-key"]).toBe(
      server.seen[1]!.headers["idempotency-key"],
    );
  });

  it("reports network_error after the last attempt when nothing listens", async () => {
    const { server, client, lines } = await setup(() => {});
    await server.close();
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status]).toEqual(["network_error", 0]);
    expect(lines.filter((l) => / attempt \d\/4/.test(l))).toHaveLength(4);
  });

  it.each([
    ["flat", { code: "not_found", message: "file not found: /x" }],
    ["nested", { error: { code: "not_found", message: "file not found: /x", details: 1 } }],
    ["legacy", { ok: false, error: { code: "not_found", message: "file not found: /x" } }],
  ])("parses the %s error envelope", async (_name, body) => {
    const { client } = await setup((_req, res) => json(res, 404, body));
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms/x" }));
    expect([error.code, error.message, error.status]).toEqual([
      "not_found",
      "not_found: file not found: /x",
      404,
    ]);
  });

  it("turns an unparsable error body into internal with its first 300 characters", async () => {
    const { client } = await setup((_req, res) => json(res, 418, `<html>${"x".repeat(500)}`));
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms/x" }));
    expect(error.code).toBe("internal");
    expect(error.status).toBe(418);
    expect(error.message).toBe(`internal: HTTP 418: <html>${"x".repeat(294)}`);
  });

  it("turns a malformed 2xx body into internal with status 200", async () => {
    const { client } = await setup((_req, res) => json(res, 200, "not json"));
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms/x" }));
    expect([error.code, error.status, error.retryable]).toEqual(["internal", 200, false]);
  });

  it("never lets the API key into errors or the trace", async () => {
    const { client, lines } = await setup((req, res) =>
      json(res, 401, { code: "unauthorized", message: `bad key ${req.headers.authorization}` }),
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain("[REDACTED]");
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("traces one line per attempt with method, URL, status, ms and attempt", async () => {
    const { server, client, lines } = await setup((_req, res, index) =>
      index === 0 ? json(res, 503, { code: "unavailable", message: "x" }) : json(res, 200, {}),
    );
    await client.request({ method: "GET", path: "/v1/vms" });
    const attempts = lines.filter((l) => !l.includes("arker retry"));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(
      new RegExp(`^arker GET ${server.url}/v1/vms 503 \\d+ms attempt 1/4 request req_503$`),
    );
    expect(attempts[1]).toMatch(/ 200 \d+ms attempt 2\/4/);
  });

  it("writes no trace below debug level", async () => {
    const { client, lines } = await setup((_req, res) => json(res, 200, {}), { logLevel: "warn" });
    await client.request({ method: "GET", path: "/v1/vms" });
    expect(lines).toEqual([]);
  });

  it("closes its own pool once, however often close() is called", async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    servers.push(server);
    const client = new ArkerClient({ apiKey: KEY, baseUrl: server.url });
    await client.request({ method: "GET", path: "/v1/health" });
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
    await expect(Promise.all([client.close(), client[Symbol.asyncDispose]()])).resolves.toEqual([
      undefined,
      undefined,
    ]);
  });

  it("refuses to send after close() even when it never sent before (its pool is made lazily)", async () => {
    let served = 0;
    const server = await startServer((_req, res) => {
      served++;
      json(res, 200, { ok: true });
    });
    servers.push(server);
    const client = new ArkerClient({ apiKey: KEY, baseUrl: server.url, retry: false });
    await client.close();
    await expect(client.request({ method: "GET", path: "/v1/health" })).rejects.toMatchObject({
      code: "network_error",
    });
    expect(served).toBe(0);
  });

  it("sends through a caller's dispatcher", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("http://mock.test")
      .intercept({ path: "/v1/health", method: "GET" })
      .reply(200, { status: "ok" });
    const client = new ArkerClient({ apiKey: KEY, baseUrl: "http://mock.test", dispatcher: agent });
    const { data } = await client.request<{ status: string }>({
      method: "GET",
      path: "/v1/health",
    });
    expect(data.status).toBe("ok");
    await client.close();
    await agent.close();
  });

  it.each([
    ["the same cursor", () => "again"],
    ["an empty cursor", () => ""],
    ["cursors in a cycle", (cursor: string | null) => (cursor === "a" ? "b" : "a")],
  ])(
    "stops iterating with internal when a server repeats %s (it looped forever)",
    async (_label, next) => {
      const { server, client } = await setup((req, res) =>
        json(res, 200, {
          vms: [],
          next_cursor: next(new URL(req.url ?? "", "http://x").searchParams.get("cursor")),
        }),
      );
      const page = await client.list({ method: "GET", path: "/v1/vms" }, "vms", asString);
      const walk = async () => {
        for await (const _ of page) {
          // no items
        }
      };
      const error = await rejection(walk());
      expect([error.code, error.status]).toEqual(["internal", 200]);
      expect(error.message).toContain("pagination did not advance");
      expect(server.seen.length).toBeLessThanOrEqual(4);
    },
  );

  it("sends list calls to the control host and iterates across pages", async () => {
    const control = await startServer((req, res) => {
      const cursor = new URL(req.url, "http://x").searchParams.get("cursor");
      const page = cursor === null ? 0 : Number(cursor);
      json(res, 200, {
        vms: [`a${page}`, `b${page}`],
        next_cursor: page < 2 ? String(page + 1) : null,
      });
    });
    servers.push(control);
    const { server, client } = await setup((_req, res) => json(res, 500, {}), {
      controlBaseUrl: control.url,
    });
    const page = await client.list(
      { method: "GET", path: "/v1/vms", host: "control", query: { limit: 2 } },
      "vms",
      asString,
    );
    expect(page.items).toEqual(["a0", "b0"]);
    expect(page.hasNextPage()).toBe(true);
    const all: string[] = [];
    for await (const item of page) all.push(item);
    expect(all).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
    expect(control.seen.map((r) => r.url)).toEqual([
      "/v1/vms?limit=2",
      "/v1/vms?limit=2&cursor=1",
      "/v1/vms?limit=2&cursor=2",
    ]);
    expect(server.seen).toHaveLength(0);
  });
});

describe("ArkerClient.transfer (signed URLs)", () => {
  it("GETs exactly the announced bytes without an auth header, reporting progress", async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200);
      res.end(payload);
    });
    const progress: number[] = [];
    const bytes = await client.transfer({
      method: "GET",
      url: `${server.url}/blob/abc`,
      expectedBytes: payload.byteLength,
      onProgress: (n) => progress.push(n),
    });
    expect(Buffer.from(bytes).equals(payload)).toBe(true);
    expect(server.seen[0]!.headers.authorization).toBeUndefined();
    expect(progress.at(-1)).toBe(payload.byteLength);
  });

  it("retries a short download and then fails with network_error", async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(10));
    });
    const error = await rejection(
      client.transfer({ method: "GET", url: `${server.url}/b`, expectedBytes: 20 }),
    );
    expect(error.code).toBe("network_error");
    expect(server.seen).toHaveLength(4);
  });

  it("PUTs the raw bytes with a content-length and no auth header", async () => {
    const payload = new Uint8Array(2 * 1024 * 1024 + 3).map((_, i) => i % 251);
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    const progress: number[] = [];
    await client.transfer({
      method: "PUT",
      url: `${server.url}/up`,
      body: payload,
      onProgress: (n) => progress.push(n),
    });
    const seen = server.seen[0]!;
    expect(seen.headers["content-length"]).toBe(String(payload.byteLength));
    expect(seen.headers.authorization).toBeUndefined();
    expect(Buffer.from(payload).equals(seen.body)).toBe(true);
    expect(progress).toEqual([1024 * 1024, 2 * 1024 * 1024, payload.byteLength]);
  });

  it.each(["not a url", "/relative/path", "ftp://files.invalid/x?token=secret", ""])(
    "refuses a transfer to %j with bad_request before sending (was a TypeError or a retried network_error)",
    async (url) => {
      const { server, client } = await setup((_req, res) => json(res, 200, {}));
      const error = await rejection(client.transfer({ method: "GET", url, expectedBytes: 1 }));
      expect([error.code, error.retryable]).toEqual(["bad_request", false]);
      expect(error.message).not.toContain("secret");
      expect(server.seen).toHaveLength(0);
    },
  );

  it("keeps the signed URL out of the trace", async () => {
    const { server, client, lines } = await setup((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    await client.transfer({
      method: "PUT",
      url: `${server.url}/up?signature=s3cr3t`,
      body: new Uint8Array(1),
    });
    expect(lines.join("\n")).not.toContain("s3cr3t");
  });
});

describe("ArkerError", () => {
  it("is recognised across copies of core by its brand", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("arker.error")]: true });
    expect(ArkerError.is(foreign)).toBe(true);
    expect(ArkerError.is(new Error("x"))).toBe(false);
    expect(ArkerError.is(new ArkerError("not_found", "gone", 404))).toBe(true);
  });

  it("keeps code, status, request id and cause", () => {
    const cause = new Error("root");
    const error = new ArkerError("unavailable", "down", 503, {
      requestId: "req_1",
      retryable: true,
      cause,
    });
    expect(error.message).toBe("unavailable: down");
    expect(error.toJSON()).toEqual({
      code: "unavailable",
      message: "unavailable: down",
      status: 503,
      requestId: "req_1",
    });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("ArkerError");
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("condition never held");
}

describe("ArkerClient env option", () => {
  it("reads ARKER_* fallbacks from the given map, not from process.env", () => {
    const saved = process.env.ARKER_REGION;
    process.env.ARKER_REGION = "eu-west-1";
    try {
      const client = new ArkerClient({
        env: { ARKER_API_KEY: KEY, ARKER_REGION: "us-east-2", ARKER_LOG: "debug" },
      });
      expect(client.computeBaseUrl).toBe("https://aws-us-east-2.arker.ai/api");
      expect(() => new ArkerClient({ apiKey: KEY, env: {} })).toThrow(
        "region or baseUrl is required",
      );
    } finally {
      if (saved === undefined) delete process.env.ARKER_REGION;
      else process.env.ARKER_REGION = saved;
    }
  });
});
