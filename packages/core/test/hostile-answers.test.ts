import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, rejection, startServer } from "../../../test-support/local-server";
import { ArkerClient, type ArkerClientOptions, DEFAULT_MAX_RESPONSE_BYTES } from "../src/index";

// The client facing a server that answers in bad faith (issue 13, findings 3-6): every
// test here failed before its fix.

const KEY = "ark_live_hostile_0123456789abcdef";
const TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const servers: Array<{ close(): Promise<void> }> = [];
const clients: ArkerClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = Parameters<typeof startServer>[0];

async function setup(handler: Handler, options: Partial<ArkerClientOptions> = {}) {
  const server = await startServer(handler);
  servers.push(server);
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: server.url,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
    logLevel: "debug",
    logger: { debug: sink, info: sink, warn: sink, error: sink },
    ...options,
  });
  clients.push(client);
  return { server, client, lines };
}

/** Writes 64 KiB chunks until the client hangs up; resolves with the bytes sent. */
function endless(response: ServerResponse, headers: Record<string, string> = {}) {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  const done = new Promise<number>((resolve) => response.on("close", () => resolve(sent)));
  response.writeHead(response.statusCode, { "content-type": "application/json", ...headers });
  response.write("{");
  const pump = () => {
    while (!response.destroyed && sent < 1024 ** 3) {
      sent += chunk.byteLength;
      if (!response.write(chunk)) return void response.once("drain", pump);
    }
  };
  pump();
  return done;
}

describe("every message path is redacted", () => {
  it("a 2xx that is not JSON echoing the Authorization header keeps the key out", async () => {
    const { client, lines } = await setup((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`you sent: ${req.headers.authorization}`);
    });
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status]).toEqual(["internal", 200]);
    expect(error.message).toContain("[REDACTED]");
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("a key straddling the 300-character cut of an unparsable body leaves no prefix behind", async () => {
    const { client } = await setup((req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end(`${"x".repeat(280)}${req.headers.authorization}`);
    });
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(error.message).not.toContain(KEY.slice(0, 12));
    const twoxx = await setup((req, res) => {
      res.writeHead(200);
      res.end(`${"y".repeat(290)}${req.headers.authorization}`);
    });
    const other = await rejection(twoxx.client.request({ method: "GET", path: "/v1/vms" }));
    expect(other.message).not.toContain(KEY.slice(0, 12));
  });

  it("an x-request-id echoing the key, or of 8 KiB, does not become the error's requestId", async () => {
    const { client, lines } = await setup((req, res, index) =>
      json(
        res,
        404,
        { code: "not_found", message: "no" },
        { "x-request-id": index === 0 ? `${req.headers.authorization}` : "r".repeat(8192) },
      ),
    );
    const echoed = await rejection(client.request({ method: "GET", path: "/v1/vms/a" }));
    expect(JSON.stringify(echoed)).not.toContain(KEY);
    const huge = await rejection(client.request({ method: "GET", path: "/v1/vms/b" }));
    expect(huge.requestId).toBeNull();
    expect(lines.join("\n")).not.toContain("r".repeat(300));
  });

  it("a signed-URL host echoing the URL keeps its token out of the error and the trace", async () => {
    const { server, client, lines } = await setup((req, res) => {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(`<Error><Code>AccessDenied</Code><Resource>${req.url}</Resource></Error>`);
    });
    for (const url of [`${server.url}/blob/${TOKEN}`, `${server.url}/b?X-Signature=${TOKEN}`]) {
      const error = await rejection(client.transfer({ method: "GET", url, expectedBytes: 1 }));
      expect([error.code, error.status]).toEqual(["internal", 403]);
      expect(error.message).toContain("AccessDenied");
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});

describe("anything outside 2xx is an error; redirects are never followed", () => {
  it.each([300, 301, 302, 303, 304, 307, 308])(
    "HTTP %i with a JSON body is internal, not retried, not followed",
    async (status) => {
      const elsewhere = await startServer((_req, res) => json(res, 200, { vm_id: "vm_other" }));
      servers.push(elsewhere);
      const { server, client } = await setup((_req, res) =>
        json(res, status, { vm_id: "vm_1" }, { location: `${elsewhere.url}/v1/vms/vm_1` }),
      );
      const error = await rejection(client.request({ method: "GET", path: "/v1/vms/vm_1" }));
      expect([error.code, error.status, error.retryable]).toEqual(["internal", status, false]);
      expect(error.message).toMatch(new RegExp(`unexpected HTTP ${status}`));
      expect(server.seen).toHaveLength(1);
      expect(elsewhere.seen).toHaveLength(0);
    },
  );

  it.each([
    ["https://elsewhere.test/signed/path?sig=secret", " to https://elsewhere.test"],
    ["urn:isbn:0451450523", ""],
    [undefined, ""],
  ])(
    "a 3xx to %j names the Location's origin only, and keeps the request id",
    async (location, where) => {
      const { client } = await setup((_req, res) =>
        json(res, 302, {}, location === undefined ? {} : { location }),
      );
      const error = await rejection(client.request({ method: "GET", path: "/v1/vms/vm_1" }));
      expect(error.message).toBe(
        `internal: unexpected HTTP 302${where}; the SDK does not follow redirects`,
      );
      expect(error.requestId).toBe("req_302");
    },
  );

  it("a 3xx whose body never ends is cut at once, with no uncaught stream error", async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const { client } = await setup((_req, res) => {
      res.statusCode = 302;
      sent = endless(res, { location: "http://127.0.0.1:9/x" });
    });
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms/vm_1" }));
    expect([error.code, error.status]).toEqual(["internal", 302]);
    expect(await sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("a signed-URL GET or PUT answered 3xx fails instead of counting as done", async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(307, { location: "http://127.0.0.1:9/elsewhere", "content-length": "1" });
      res.end("x");
    });
    const get = await rejection(
      client.transfer({ method: "GET", url: `${server.url}/b/${TOKEN}`, expectedBytes: 1 }),
    );
    const put = await rejection(
      client.transfer({ method: "PUT", url: `${server.url}/b/${TOKEN}`, body: new Uint8Array(1) }),
    );
    for (const error of [get, put]) {
      expect([error.code, error.status, error.retryable]).toEqual(["internal", 307, false]);
      expect(error.message).not.toContain(TOKEN);
    }
    expect(server.seen).toHaveLength(2);
  });
});

describe("JSON answers are capped while streaming", () => {
  it("has a default cap of 64 MiB", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * 1024 * 1024);
  });

  it("an endless 2xx body fails with internal naming the cap and the connection is cut", async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const { client } = await setup(
      (_req, res) => {
        sent = endless(res);
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status, error.retryable]).toEqual(["internal", 200, false]);
    expect(error.message).toContain("1048576 bytes");
    expect(error.message).toContain("maxResponseBytes");
    // The server saw its socket closed, well before the gigabyte it was ready to send.
    expect(await sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("an endless error body is capped the same way", async () => {
    const { client } = await setup(
      (_req, res) => {
        res.statusCode = 500;
        void endless(res);
      },
      { maxResponseBytes: 256 * 1024 },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("262144 bytes");
  });

  it("a Content-Length over the cap fails before the body is read", async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const { client } = await setup(
      (_req, res) => {
        closed = new Promise((resolve) => res.on("close", resolve));
        res.writeHead(200, { "content-type": "application/json", "content-length": "5000000" });
        res.write("{");
      },
      { maxResponseBytes: 1_000_000 },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("5000000");
    // The server never finishes this answer: only the client hanging up closes it.
    await closed;
  });

  it("an answer exactly at the cap is read", async () => {
    const body = JSON.stringify({ pad: "z".repeat(1000) });
    const { client } = await setup((_req, res) => json(res, 200, body), {
      maxResponseBytes: Buffer.byteLength(body),
    });
    const { data } = await client.request<{ pad: string }>({ method: "GET", path: "/v1/x" });
    expect(data.pad).toHaveLength(1000);
  });

  it("an answer declaring its Content-Length at or under the cap is read", async () => {
    const body = JSON.stringify({ pad: "z".repeat(1000) });
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-length": String(Buffer.byteLength(body)) });
        res.end(body);
      },
      { maxResponseBytes: Buffer.byteLength(body) },
    );
    for (let i = 0; i < 2; i++) {
      const { data } = await client.request<{ pad: string }>({ method: "GET", path: "/v1/x" });
      expect(data.pad).toHaveLength(1000);
    }
  });

  it("a capped answer's error keeps its request id", async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-length": "5000", "x-request-id": "req_big" });
        res.end("x".repeat(5000));
      },
      { maxResponseBytes: 1000 },
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.requestId]).toEqual(["internal", "req_big"]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses maxResponseBytes %s at construction",
    (maxResponseBytes) => {
      expect(
        () => new ArkerClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", maxResponseBytes }),
      ).toThrow(/bad_request: maxResponseBytes/);
    },
  );
});

describe("signed-URL downloads are bounded by the announced size", () => {
  it("an endless download is cut past the announced size, without an uncaught stream error", async () => {
    const sent: Array<Promise<number>> = [];
    const { client } = await setup((_req, res) => {
      sent.push(endless(res));
    });
    const error = await rejection(
      client.transfer({
        method: "GET",
        url: `${client.computeBaseUrl}/b/${TOKEN}`,
        expectedBytes: 1000,
      }),
    );
    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/expected 1000/);
    for (const bytes of await Promise.all(sent)) expect(bytes).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("signed URLs never downgrade from https", () => {
  it("an http:// signed URL under an https:// API is refused before anything is sent", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.end("x");
    });
    servers.push(server);
    const client = new ArkerClient({ apiKey: KEY, baseUrl: "https://api.arker.invalid/api" });
    clients.push(client);
    const url = `${server.url}/blob/${TOKEN}`;
    for (const spec of [
      { method: "GET" as const, url, expectedBytes: 1 },
      { method: "PUT" as const, url, body: new Uint8Array(1) },
    ]) {
      const error = await rejection(client.transfer(spec));
      expect([error.code, error.retryable]).toEqual(["bad_request", false]);
      expect(error.message).toContain("https");
      expect(error.message).not.toContain(TOKEN);
    }
    expect(server.seen).toHaveLength(0);
  });
});

describe("bad headers are handled cleanly", () => {
  it.each(["soon", "-5", "1e400", "99999999999", "Thu, 01 Jan 1970 00:00:00 GMT", ""])(
    "Retry-After %j: retried within maxDelayMs, then the answer is read",
    async (retryAfter) => {
      const { server, client } = await setup((_req, res, index) =>
        index === 0
          ? json(res, 503, { code: "unavailable", message: "busy" }, { "retry-after": retryAfter })
          : json(res, 200, { ok: true }),
      );
      const started = performance.now();
      const { data } = await client.request<{ ok: boolean }>({ method: "GET", path: "/v1/x" });
      expect(data.ok).toBe(true);
      expect(server.seen).toHaveLength(2);
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );

  it.each([undefined, "text/html", "application/octet-stream", "garbage;;;="])(
    "a JSON 2xx with content-type %s is parsed by its body",
    async (contentType) => {
      const { client } = await setup((_req, res) => {
        res.writeHead(200, contentType ? { "content-type": contentType } : {});
        res.end('{"vm_id":"vm_1"}');
      });
      const { data } = await client.request<{ vm_id: string }>({ method: "GET", path: "/v1/x" });
      expect(data.vm_id).toBe("vm_1");
    },
  );

  it("an invalid Content-Length fails as internal, not retried, without the raw bytes as cause", async () => {
    const { server, client } = await setup((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "abc" });
      res.end(JSON.stringify({ echo: req.headers.authorization }));
    });
    const error = await rejection(client.request({ method: "GET", path: "/v1/x" }));
    expect([error.code, error.retryable]).toEqual(["internal", false]);
    expect(error.message).toMatch(/Content-Length/);
    expect(error.cause).toBeUndefined();
    expect(server.seen).toHaveLength(1);
  });

  it("response headers past undici's limit fail as internal, not retried, without a crash", async () => {
    const { server, client } = await setup((_req, res) =>
      json(res, 200, { ok: true }, { "x-padding": "p".repeat(64 * 1024) }),
    );
    const error = await rejection(client.request({ method: "GET", path: "/v1/x" }));
    expect([error.code, error.retryable]).toEqual(["internal", false]);
    expect(error.message).toMatch(/header/i);
    expect(server.seen).toHaveLength(1);
  });
});
