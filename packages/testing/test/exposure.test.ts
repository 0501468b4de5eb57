import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeArker } from "../src/index.js";
import { expectError, forkUbuntu, type Json, openClient, type RawClient, run } from "./helpers.js";

/**
 * The fake as a local server (issue 13, finding 1): random keys, control routes behind
 * the key, Host and Origin checks, JSON-only control bodies, linear-time regex stubs,
 * no signed-URL token in the request log, presigned URLs on the server's own origin.
 */

/** A raw HTTP/1.1 request with any Host header (undici sets Host itself). */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; json: Json; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, headers: response.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("API keys", () => {
  it("differ on every start with the same seed, while ids stay deterministic", async () => {
    const first = await openClient("in-process", { seed: "same" });
    const second = await openClient("in-process", { seed: "same" });
    try {
      expect(first.fake.apiKey).toMatch(/^ark_test_[0-9a-z]{32}$/);
      expect(first.fake.apiKey).not.toBe(second.fake.apiKey);
      expect(first.fake.controlToken).not.toBe(second.fake.controlToken);
      expect((await forkUbuntu(first)).vm_id).toBe((await forkUbuntu(second)).vm_id);
      const added = [first.fake.addOrg(), second.fake.addOrg()];
      expect(added[0]!.apiKey).not.toBe(added[1]!.apiKey);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("a given key is kept, and reset() keeps the key and the control token", async () => {
    const client = await openClient("in-process", { apiKey: "ark_test_given" });
    try {
      const token = client.fake.controlToken;
      expect(client.fake.apiKey).toBe("ark_test_given");
      client.fake.reset();
      expect(client.fake.apiKey).toBe("ark_test_given");
      expect(client.fake.controlToken).toBe(token);
    } finally {
      await client.close();
    }
  });
});

describe.each(["in-process", "http"] as const)("control routes through the %s door", (door) => {
  let client: RawClient;
  beforeAll(async () => {
    client = await openClient(door);
  });
  afterAll(() => client.close());

  it("refuse a request without the key, or with another org's key", async () => {
    expectError(await client.call("GET", "/_fake/vms", { key: null }), 401, "unauthorized");
    expectError(await client.call("GET", "/_fake/requests", { key: "nope" }), 401, "unauthorized");
    const other = client.fake.addOrg("tenant");
    expectError(
      await client.call("POST", "/_fake/orgs", { key: other.apiKey, body: {} }),
      401,
      "unauthorized",
    );
    expectError(await client.call("POST", "/_fake/reset", { key: null }), 401, "unauthorized");
    expect(client.fake.vms.some((vm) => vm.owner_org_id === "tenant")).toBe(false);
  });

  it("accept the default org's key or the control token", async () => {
    expect((await client.call("GET", "/_fake/clock")).status).toBe(200);
    const token = client.fake.controlToken;
    expect(token).toMatch(/^fake_ctl_[0-9a-z]{32}$/);
    expect((await client.call("GET", "/_fake/clock", { key: token })).status).toBe(200);
  });

  it("refuse a body that is not application/json", async () => {
    const before = client.fake.vms.length;
    const stub = JSON.stringify({ match: "id", stdout: "owned\n" });
    const plain = await client.call("POST", "/_fake/commands", {
      rawBody: stub,
      headers: { "content-type": "text/plain" },
    });
    expectError(plain, 400, "bad_request");
    const vm = await forkUbuntu(client);
    expect((await run(client, vm.vm_id, { command: "id" })).json.stdout).not.toBe("owned\n");
    expect(client.fake.vms.length).toBe(before + 1);
  });

  it("refuse a foreign Origin", async () => {
    const foreign = await client.call("POST", "/_fake/reset", {
      body: {},
      headers: { origin: "https://attacker.example" },
    });
    expectError(foreign, 403, "forbidden");
    expect(foreign.json.message).toMatch(/origin/i);
    const own = await client.call("POST", "/_fake/clock/advance", {
      body: { ms: 0 },
      headers: { origin: client.base },
    });
    expect(own.status).toBe(200);
  });

  it("register regex stubs with a linear-time engine and refuse what it cannot run", async () => {
    const backreference = await client.call("POST", "/_fake/commands", {
      body: { match: { regex: "(a)\\1" }, stdout: "x" },
    });
    expectError(backreference, 400, "bad_request");
    expect(backreference.json.message).toMatch(/regex/);
    const nested = await client.call("POST", "/_fake/commands", {
      body: { match: { regex: "^(a+)+$" }, stdout: "matched\n" },
    });
    expect(nested.status).toBe(200);
    const vm = await forkUbuntu(client);
    // Exponential for a backtracking engine: RE2 answers at once.
    const hostile = await run(client, vm.vm_id, { command: `echo ${"a".repeat(40)}!` });
    expect(hostile.json.stdout).toBe(`${"a".repeat(40)}!\n`);
    expect((await run(client, vm.vm_id, { command: "aaaa" })).json.stdout).toBe("matched\n");
    expect((await client.call("DELETE", "/_fake/commands")).status).toBe(200);
  });

  it("keep no signed-URL token in the request log", async () => {
    const vm = await forkUbuntu(client);
    const size = 5 * 1024 * 1024;
    const presign = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: { op: "write", writes: [{ path: "/tmp/big.bin", size, presigned: true }] },
    });
    const url: string = presign.json.results[0].presigned_url;
    expect((await client.fetchUrl("PUT", url, new Uint8Array(size))).status).toBe(200);
    const token = url.split("/").pop()!;
    expect(token.length).toBeGreaterThanOrEqual(16);
    const log = JSON.stringify(client.fake.requests);
    expect(log).toContain("/_fake/blobs/");
    expect(log).not.toContain(token);
    const overHttp = await client.call("GET", "/_fake/requests");
    expect(JSON.stringify(overHttp.json)).not.toContain(token);
  });
});

describe("the listening door", () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await openClient("http", { allowedHosts: ["arker.test"] });
  });
  afterAll(() => client.close());

  it("serves Host values naming loopback or an allowed host, and refuses others (DNS rebinding)", async () => {
    const port = new URL(client.base).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "arker.test"]) {
      const answer = await rawRequest(client.base, { path: "/v1/health", headers: { host } });
      expect(answer.status, host).toBe(200);
    }
    for (const host of [
      "attacker.example",
      `attacker.example:${port}`,
      "127.0.0.1.nip.io",
      "0x7f000001",
      `2130706433:${port}`,
      "localhost:80:80",
    ]) {
      const answer = await rawRequest(client.base, {
        path: "/_fake/vms",
        headers: { host, authorization: `Bearer ${client.fake.apiKey}` },
      });
      expect(answer.status, host).toBe(403);
      expect(answer.json.code).toBe("forbidden");
      expect(answer.json.message).toMatch(/Host/);
    }
  });

  it("builds presigned URLs on its own origin, whatever port the Host header names", async () => {
    const vm = await forkUbuntu(client);
    const port = new URL(client.base).port;
    const answer = await rawRequest(client.base, {
      method: "POST",
      path: `/v1/vms/${vm.vm_id}/sync`,
      headers: {
        host: "localhost:1",
        authorization: `Bearer ${client.fake.apiKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        op: "write",
        writes: [{ path: "/tmp/x.bin", size: 5_000_000, presigned: true }],
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.json.results[0].presigned_url).toMatch(
      new RegExp(`^http://localhost:${port}/_fake/blobs/`),
    );
  });

  it("the control token works where the key was revoked", async () => {
    const fake = await createFakeArker({ listen: true, python: false });
    try {
      fake.revokeKey(fake.apiKey);
      const answer = await rawRequest(fake.url!, {
        path: "/_fake/clock",
        headers: { authorization: `Bearer ${fake.controlToken}` },
      });
      expect(answer.status).toBe(200);
    } finally {
      await fake.close();
    }
  });
});
