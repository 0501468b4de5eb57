import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";

afterEach(cleanup);

const answer = {
  ok: true,
  op: "extract_stream",
  path: "/app",
  size: 3,
  complete: true,
  extracted: 1,
};

describe("a route whose body is raw bytes (sync-stream)", () => {
  it("sends the bytes as application/octet-stream with the query, no idempotency key", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, answer));
    const bytes = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
    const progress: number[] = [];
    const { data } = await client.call("syncStream", {
      params: { vm_id: "vm_1" },
      query: { path: "/app", size: bytes.byteLength, sha256: "ab".repeat(32), extract: "tar" },
      body: bytes,
      onBodyProgress: (sent, total) => {
        expect(total).toBe(bytes.byteLength);
        progress.push(sent);
      },
    });
    expect(data).toEqual(answer);
    const seen = server.seen[0]!;
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe(
      `/v1/vms/vm_1/sync-stream?path=%2Fapp&size=${bytes.byteLength}&sha256=${"ab".repeat(32)}&extract=tar`,
    );
    expect(seen.headers["content-type"]).toBe("application/octet-stream");
    expect(seen.headers["content-length"]).toBe(String(bytes.byteLength));
    expect(seen.headers["idempotency-key"]).toBeUndefined();
    expect(Buffer.from(seen.body).equals(Buffer.from(bytes))).toBe(true);
    expect(progress.at(-1)).toBe(bytes.byteLength);
    expect(progress.length).toBeGreaterThan(1);
  });

  it("resends the whole body on a retry", async () => {
    const { server, client } = await setup((_req, res, index) =>
      index === 0
        ? sendJson(res, 503, { code: "unavailable", message: "busy" })
        : sendJson(res, 200, answer),
    );
    const bytes = new TextEncoder().encode("abc");
    await client.call("syncStream", {
      params: { vm_id: "vm_1" },
      query: { path: "/app", size: 3, extract: "tar" },
      body: bytes,
    });
    expect(server.seen.map((r) => r.body.toString())).toEqual(["abc", "abc"]);
  });

  // The test's 5 s bound fails a raw-body call left without a timer (it would wait forever).
  it("times out after timeoutMs when no answer comes", { timeout: 5_000 }, async () => {
    const { client } = await setup(() => {}, { retry: { attempts: 1 } });
    const error = await rejection(
      client.call(
        "syncStream",
        {
          params: { vm_id: "vm_1" },
          query: { path: "/a", size: 3, extract: "tar" },
          body: new Uint8Array(3),
        },
        { timeoutMs: 100 },
      ),
    );
    expect([error.code, error.retryable]).toEqual(["network_error", true]);
    expect(error.message).toBe("network_error: request timed out after 100 ms");
  });

  it("refuses an idempotency key: the route takes none", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, answer));
    const error = await rejection(
      client.call(
        "syncStream",
        {
          params: { vm_id: "vm_1" },
          query: { path: "/a", size: 0, extract: "tar" },
          body: new Uint8Array(),
        },
        { idempotencyKey: "k" },
      ),
    );
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });
});
