import { Readable } from "node:stream";
import { type Dispatcher, fetch, request } from "undici";
import { describe, expect, it } from "vitest";
import { createFakeArker, startFakeServer } from "../src/index.js";
import { useFakeArker } from "../src/vitest.js";
import { spawnFakeBin } from "./fake-bin.js";
import { forkUbuntu, openClient, run } from "./helpers.js";

function activeResources(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => name !== "TTYWrap" && name !== "PipeWrap")
    .sort();
}

describe("close", () => {
  it("leaves no server, socket or timer behind, even with parked runs and latency", async () => {
    const baseline = activeResources();
    const client = await openClient("http");
    const vm = await forkUbuntu(client);
    await run(client, vm.vm_id, { command: "sleep 1000", background: true });
    await run(client, vm.vm_id, { command: "sleep 1000", timeout: 2000 });
    client.fake.faults.add({ path: "/v1/health", effect: { type: "latency", ms: 60_000 } });
    const pending = client.call("GET", "/v1/health", { key: null }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(activeResources().length).toBeGreaterThan(baseline.length);
    await client.close();
    await pending;
    await new Promise((resolve) => setImmediate(resolve));
    const leftover = [...activeResources()];
    for (const name of baseline) {
      const index = leftover.indexOf(name);
      if (index >= 0) leftover.splice(index, 1);
    }
    expect(leftover).toEqual([]);
    expect(client.fake.vms.find((candidate) => candidate.vm_id === vm.vm_id)?.state).toBe("idle");
  });

  it("supports await using, and a closed dispatcher refuses requests", async () => {
    let dispatcher: Dispatcher;
    {
      await using fake = await createFakeArker({ python: false });
      dispatcher = fake.dispatcher;
      const response = await request(`${fake.baseUrl}/v1/health`, { dispatcher });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    }
    await expect(request("http://arker-fake.invalid/v1/health", { dispatcher })).rejects.toThrow();
  });
});

describe("determinism", () => {
  it("gives the same ids for the same seed (keys stay random), and reset() starts over identically", async () => {
    const first = await openClient("in-process", { seed: "alpha" });
    const second = await openClient("in-process", { seed: "alpha" });
    const other = await openClient("in-process", { seed: "beta" });
    try {
      expect(first.fake.apiKey).not.toBe(second.fake.apiKey);
      expect(first.fake.apiKey).toMatch(/^ark_test_[0-9a-z]{32}$/);
      const a = await forkUbuntu(first);
      const b = await forkUbuntu(second);
      const c = await forkUbuntu(other);
      expect(a.vm_id).toBe(b.vm_id);
      expect(a.vm_id).not.toBe(c.vm_id);
      first.fake.reset();
      expect(first.fake.vms.every((vm) => vm.owner_org_id === "ArkerHQ")).toBe(true);
      expect(first.fake.requests).toEqual([]);
      expect((await forkUbuntu(first)).vm_id).toBe(a.vm_id);
      expect((await first.call("POST", "/_fake/reset")).json).toEqual({
        reset: true,
      });
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });
});

describe("dispatcher door", () => {
  it("works with undici fetch, streamed and iterable bodies, and controller-style handlers", async () => {
    const fake = await createFakeArker({ python: false });
    try {
      const headers = {
        authorization: `Bearer ${fake.apiKey}`,
        "content-type": "application/json",
      };
      const viaFetch = await fetch(`${fake.baseUrl}/v1/fork`, {
        method: "POST",
        headers,
        body: JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
        dispatcher: fake.dispatcher,
      });
      expect(viaFetch.status).toBe(200);
      const vm = (await viaFetch.json()) as { vm_id: string };
      const streamed = await request(`${fake.baseUrl}/v1/vms/${vm.vm_id}/runs`, {
        method: "POST",
        headers,
        body: Readable.from([Buffer.from('{"command":'), Buffer.from('"echo streamed"}')]),
        dispatcher: fake.dispatcher,
      });
      expect(((await streamed.body.json()) as { stdout: string }).stdout).toBe("streamed\n");
      const chunks: Buffer[] = [];
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        let status = 0;
        fake.dispatcher.dispatch(
          {
            origin: fake.baseUrl,
            path: "/v1/health",
            method: "GET",
            headers: [["accept", "application/json"]] as unknown as string[],
          },
          {
            onRequestStart() {},
            onResponseStart(_controller, statusCode) {
              status = statusCode;
            },
            onResponseData(_controller, chunk) {
              chunks.push(chunk);
            },
            onResponseEnd() {
              resolve({ status, body: Buffer.concat(chunks).toString() });
            },
            onResponseError(_controller, error) {
              reject(error);
            },
          },
        );
      });
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toMatchObject({ status: "ok" });
    } finally {
      await fake.close();
    }
  });
});

describe("vitest helper", () => {
  const fake = useFakeArker({ python: false });
  let previous: unknown;
  it("gives each test a fresh fake (first)", async () => {
    previous = fake();
    expect(fake().vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(0);
    const response = await request(`${fake().baseUrl}/v1/fork`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake().apiKey}` },
      body: JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
      dispatcher: fake().dispatcher,
    });
    await response.body.dump();
    expect(fake().vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(1);
  });
  it("gives each test a fresh fake (second)", () => {
    expect(fake()).not.toBe(previous);
    expect(fake().vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(0);
  });
});

describe("listening server", () => {
  it("startFakeServer binds loopback on a random port and serves the API", async () => {
    const server = await startFakeServer({ seed: 3, python: false });
    try {
      expect(server.fake.clock.mode).toBe("real");
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.env).toEqual({
        ARKER_BASE_URL: server.url,
        ARKER_CONTROL_BASE_URL: server.url,
        ARKER_API_KEY: server.apiKey,
      });
      expect(server.fake.clientOptions).toEqual({ apiKey: server.apiKey, baseUrl: server.url });
      const response = await request(`${server.url}/api/v1/health`);
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await server.close();
    }
  });

  it("the arker-fake bin prints export lines, takes --clock and exits cleanly on SIGTERM", async () => {
    const child = spawnFakeBin(["--seed", "5", "--clock", "manual"]);
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("ARKER_API_KEY")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`bin exited early with ${code}`)));
    });
    const url = /export ARKER_BASE_URL=(\S+)/.exec(output)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatch(/^export ARKER_API_KEY=ark_test_[0-9a-z]{32}$/m);
    const response = await request(`${url}/v1/health`);
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    const key = /export ARKER_API_KEY=(\S+)/.exec(output)?.[1];
    const clock = await request(`${url}/_fake/clock`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await clock.body.json()) as { mode: string }).mode).toBe("manual");
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("the arker-fake bin refuses an unknown --clock with its usage", async () => {
    const child = spawnFakeBin(["--clock", "fast"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--clock must be one of auto, real, manual");
    expect(stderr).toContain("usage: arker-fake");
  });
});
