import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, startServer } from "../../../test-support/local-server";
import { encodedJson, encodedJsonBytes } from "../src/encoded-json";
import { ArkerClient } from "../src/index";

// A body the caller encoded itself (EncodedJson, used by file writes) goes on the wire
// byte for byte as JSON, on every attempt; any other body is still stringified.
const KEY = "ark_live_encoded_0123456789abcdef";
const closers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
});

async function setup(handler: Parameters<typeof startServer>[0]) {
  const server = await startServer(handler);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: server.url,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  closers.push(server, client);
  return { server, client };
}

describe("an EncodedJson body", () => {
  it("is sent as its bytes, as JSON, and the same bytes again on a retry", async () => {
    const text = '{"op":"write","writes":[{"path":"/tmp/é","content":"AAEC"}]}';
    const { server, client } = await setup((_req, res, index) =>
      index === 0 ? json(res, 503, { code: "unavailable", message: "x" }) : json(res, 200, {}),
    );
    await client.request({
      method: "POST",
      path: "/v1/vms/vm_1/sync",
      body: encodedJson(Buffer.from(text, "utf8")),
    });
    expect(server.seen).toHaveLength(2);
    for (const seen of server.seen) {
      expect(seen.headers["content-type"]).toBe("application/json");
      expect(seen.body.toString("utf8")).toBe(text);
    }
  });

  it("is told apart from a plain object, which is stringified", async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}));
    await client.request({ method: "POST", path: "/v1/fork", body: { encodes: "x", n: 1 } });
    expect(server.seen[0]!.body.toString("utf8")).toBe('{"encodes":"x","n":1}');
    expect(encodedJsonBytes({ encodes: "x" })).toBeUndefined();
    expect(encodedJsonBytes(null)).toBeUndefined();
    expect(encodedJsonBytes("text")).toBeUndefined();
  });

  it("is recognised by a brand registered for the whole process, not by class", () => {
    const bytes = new Uint8Array([123, 125]);
    const branded = { [Symbol.for("@arker-ai/core.encoded-json")]: bytes };
    expect(encodedJsonBytes(branded)).toBe(bytes);
    expect(encodedJsonBytes(encodedJson(bytes))).toBe(bytes);
  });
});
