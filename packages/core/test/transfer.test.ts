import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, rejection, startServer } from "../../../test-support/local-server";
import { ArkerClient } from "../src/index";

// Signed-URL transfers beyond client.test.ts: what a GET does not send, error answers,
// progress at chunk edges, downloads of unknown size, the trace, and timers (each found
// missing by mutation testing, TESTING.md).
const KEY = "ark_live_transfer_0123456789abcdef";
const MIB = 1024 * 1024;
const servers: Array<{ close(): Promise<void> }> = [];
const clients: ArkerClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: Parameters<typeof startServer>[0]) {
  const server = await startServer(handler);
  servers.push(server);
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: server.url,
    retry: false,
    logLevel: "debug",
    logger: { debug: sink, info: sink, warn: sink, error: sink },
  });
  clients.push(client);
  return { server, client, lines };
}

function bytes(res: import("node:http").ServerResponse, body: Uint8Array) {
  res.writeHead(200);
  res.end(body);
}

describe("signed-URL GET", () => {
  it("sends no body, no content-length and no content-type", async () => {
    const { server, client } = await setup((_req, res) => bytes(res, Buffer.from("hello")));
    await client.transfer({ method: "GET", url: `${server.url}/blob`, expectedBytes: 5 });
    const seen = server.seen[0]!;
    expect(seen.method).toBe("GET");
    expect(seen.body).toHaveLength(0);
    expect(seen.headers["content-length"]).toBeUndefined();
    expect(seen.headers["transfer-encoding"]).toBeUndefined();
    expect(seen.headers["content-type"]).toBeUndefined();
  });

  it("without expectedBytes returns every byte, however many chunks they came in", async () => {
    const payload = randomBytes(700 * 1024);
    const { server, client } = await setup((_req, res) => bytes(res, payload));
    const got = await client.transfer({ method: "GET", url: `${server.url}/blob` });
    expect(Buffer.from(got).equals(payload)).toBe(true);
  });

  it("a download longer than announced fails naming both sizes", async () => {
    const { server, client } = await setup((_req, res) => bytes(res, Buffer.alloc(8)));
    const error = await rejection(
      client.transfer({ method: "GET", url: `${server.url}/blob`, expectedBytes: 5 }),
    );
    expect([error.code, error.message]).toEqual([
      "network_error",
      "network_error: signed URL download returned 8 bytes, expected 5",
    ]);
  });

  it.each([400, 404])(
    "an HTTP %i answer fails with the storage's error, not as data",
    async (status) => {
      const { server, client } = await setup((_req, res) =>
        json(res, status, { code: "not_found", message: "no such blob" }),
      );
      const error = await rejection(client.transfer({ method: "GET", url: `${server.url}/blob` }));
      expect([error.code, error.status]).toEqual(["not_found", status]);
    },
  );
});

describe("signed-URL PUT progress", () => {
  it("reports once per chunk sent: exactly one chunk for 1 MiB, none for no bytes", async () => {
    const { server, client } = await setup((_req, res) => bytes(res, new Uint8Array()));
    const progress: Array<[number, number | null]> = [];
    const onProgress = (sent: number, total: number | null) => progress.push([sent, total]);
    await client.transfer({
      method: "PUT",
      url: `${server.url}/up`,
      body: new Uint8Array(MIB),
      onProgress,
    });
    expect(progress).toEqual([[MIB, MIB]]);
    progress.length = 0;
    await client.transfer({
      method: "PUT",
      url: `${server.url}/up`,
      body: new Uint8Array(),
      onProgress,
    });
    expect(progress).toEqual([]);
    expect(server.seen.map((r) => [r.headers["content-length"], r.body.byteLength])).toEqual([
      [String(MIB), MIB],
      ["0", 0],
    ]);
  });
});

describe("a transfer's trace and timers", () => {
  it("the trace names the host and hides the signed path", async () => {
    const { server, client, lines } = await setup((_req, res) => bytes(res, Buffer.from("ab")));
    await client.transfer({
      method: "GET",
      url: `${server.url}/blob/x?sig=abcdef0123456789`,
      expectedBytes: 2,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^arker GET ${server.url}/\\[signed URL\\] 200 \\d+ms attempt 1/1$`),
    );
  });

  it("a finished transfer leaves no timer behind to hold the process open", async () => {
    const { server, client } = await setup((_req, res) => bytes(res, Buffer.from("ab")));
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await client.transfer({ method: "GET", url: `${server.url}/warm`, expectedBytes: 2 });
    const before = timers();
    await client.transfer({
      method: "GET",
      url: `${server.url}/blob`,
      expectedBytes: 2,
      timeoutMs: 600_000,
    });
    // At most as many: a timer of the warm-up's connection may expire meanwhile, but a
    // transfer's own 600 s deadline left behind would add one.
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
