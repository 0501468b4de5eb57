import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, rejection, startServer } from "../../../test-support/local-server";
import { ArkerClient, type ArkerClientOptions } from "../src/index";

// What the client puts on the wire and in its trace, beyond the request pipeline of
// client.test.ts: the headers of each kind of call, URLs, the connection pool and its
// closing (each found missing by mutation testing, TESTING.md).
const KEY = "ark_live_wire_0123456789abcdef";
const servers: Array<{ close(): Promise<void> }> = [];
const clients: ArkerClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = Parameters<typeof startServer>[0];

async function serve(handler: Handler) {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

async function setup(handler: Handler, options: Partial<ArkerClientOptions> = {}) {
  const server = await serve(handler);
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: server.url,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    logLevel: "debug",
    logger: { debug: sink, info: sink, warn: sink, error: sink },
    ...options,
  });
  clients.push(client);
  return { server, client, lines };
}

describe("headers of a JSON call", () => {
  it("a GET asks for JSON, names the SDK, and carries no body type and no idempotency key", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.request({ method: "GET", path: "/v1/vms" });
    const headers = server.seen[0]!.headers;
    expect(headers.accept).toBe("application/json");
    expect(headers["user-agent"]).toBe("arker-sdk-typescript");
    expect(headers["content-type"]).toBeUndefined();
    expect(headers["idempotency-key"]).toBeUndefined();
    expect(server.seen[0]!.body).toHaveLength(0);
  });

  it("a POST with a body says it is JSON", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.request({ method: "POST", path: "/v1/fork", body: { a: 1 } });
    expect(server.seen[0]!.headers["content-type"]).toBe("application/json");
    expect(server.seen[0]!.headers.accept).toBe("application/json");
  });
});

describe("URLs", () => {
  it("sends compute calls to baseUrl and control calls to controlBaseUrl", async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const client = new ArkerClient({
      apiKey: KEY,
      baseUrl: `${server.url}/compute`,
      controlBaseUrl: `${server.url}/control`,
    });
    clients.push(client);
    await client.request({ method: "GET", path: "/v1/a" });
    await client.request({ method: "GET", path: "/v1/b", host: "compute" });
    await client.request({ method: "GET", path: "/v1/c", host: "control" });
    expect(server.seen.map((r) => r.url)).toEqual([
      "/compute/v1/a",
      "/compute/v1/b",
      "/control/v1/c",
    ]);
  });

  it("leaves undefined and null query values out, and the ? when none is left", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.request({
      method: "GET",
      path: "/v1/vms",
      query: { cursor: undefined, limit: null },
    });
    await client.request({ method: "GET", path: "/v1/vms", query: { a: null, b: 0, c: false } });
    expect(server.seen.map((r) => r.url)).toEqual(["/v1/vms", "/v1/vms?b=0&c=false"]);
  });

  it("refuses a path without a leading slash before sending", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    const error = await rejection(client.request({ method: "GET", path: "v1/vms" }));
    expect([error.code, error.message]).toEqual([
      "bad_request",
      'bad_request: path must start with "/": v1/vms',
    ]);
    expect(server.seen).toHaveLength(0);
  });
});

describe("the trace", () => {
  it("ends a line without a request id at the attempt count", async () => {
    const { server, client, lines } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await client.request({ method: "GET", path: "/v1/vms" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^arker GET ${server.url}/v1/vms 200 \\d+ms attempt 1/2$`));
  });

  it("measures each attempt's milliseconds, within the time the call took", async () => {
    const { client, lines } = await setup((_req, res) => setTimeout(() => json(res, 200, {}), 30));
    const before = performance.now();
    await client.request({ method: "GET", path: "/v1/vms" });
    const elapsed = performance.now() - before;
    const ms = Number(/ (\d+)ms attempt/.exec(lines[0]!)![1]);
    expect(ms).toBeGreaterThanOrEqual(25);
    expect(ms).toBeLessThanOrEqual(Math.ceil(elapsed));
  });

  it("client.logger removes the API key from what resource packages log through it", async () => {
    const { client, lines } = await setup((_req, res) => json(res, 200, {}));
    client.logger.warn(`echoed ${KEY} back`);
    expect(lines).toEqual(["echoed [REDACTED] back"]);
  });
});

describe("network failures", () => {
  it("name the system error code and its message", async () => {
    const { server, client } = await setup(() => {});
    await server.close();
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/^network_error: ECONNREFUSED: .*ECONNREFUSED/);
  });

  it("a body that stalls past timeoutMs is a timeout", async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
      },
      { timeoutMs: 100, retry: false },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.message]).toEqual([
      "network_error",
      "network_error: request timed out after 100 ms",
    ]);
  });
});

describe("the connection pool", () => {
  it("maxConnections bounds the requests in flight to one host", async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serve((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 20);
    });
    const client = new ArkerClient({ apiKey: KEY, baseUrl: server.url, maxConnections: 1 });
    clients.push(client);
    await Promise.all([1, 2, 3].map(() => client.request({ method: "GET", path: "/v1/vms" })));
    expect(server.seen).toHaveLength(3);
    expect(most).toBe(1);
  });

  it("refuses a maxConnections that is not a positive number, naming it", () => {
    expect(
      () => new ArkerClient({ apiKey: KEY, baseUrl: "http://x.test", maxConnections: 0 }),
    ).toThrow("bad_request: maxConnections must be a positive number; got 0");
  });

  it.each([
    ["close()", (client: ArkerClient) => client.close()],
    ["asyncDispose", (client: ArkerClient) => client[Symbol.asyncDispose]()],
  ])("%s closes the client's own pool: a later call fails", async (_name, close) => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const client = new ArkerClient({ apiKey: KEY, baseUrl: server.url, retry: false });
    await client.request({ method: "GET", path: "/v1/vms" });
    await close(client);
    await expect(client.request({ method: "GET", path: "/v1/vms" })).rejects.toThrow();
    expect(server.seen).toHaveLength(1);
  });
});

describe("backoff", () => {
  it("waits out Retry-After before the next attempt", async () => {
    const at: number[] = [];
    const { client } = await setup(
      (_req, res, index) => {
        at.push(performance.now());
        if (index === 0)
          json(res, 503, { code: "unavailable", message: "x" }, { "retry-after": "0.3" });
        else json(res, 200, {});
      },
      { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5_000 } },
    );
    await client.request({ method: "GET", path: "/v1/vms" });
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(250);
  });
});
