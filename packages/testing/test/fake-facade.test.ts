// Proves each member of the object createFakeArker returns reaches the fake it names, in both doors.
import { describe, expect, it } from "vitest";
import { createFakeArker } from "../src/index.js";
import { forkUbuntu, openClient } from "./helpers.js";

describe("createFakeArker's controls", () => {
  it("in-process: no url, the in-process origin, and client options with the dispatcher", async () => {
    for (const listen of [undefined, false] as const) {
      const fake = await createFakeArker({ python: false, listen });
      try {
        expect(fake.url).toBeUndefined();
        expect(fake.baseUrl).toBe("http://arker-fake.invalid");
        expect(fake.clientOptions).toEqual({
          apiKey: fake.apiKey,
          baseUrl: "http://arker-fake.invalid",
          dispatcher: fake.dispatcher,
        });
      } finally {
        await fake.close();
      }
    }
  });

  it("listen: true binds 127.0.0.1 and its client options leave the dispatcher out", async () => {
    const fake = await createFakeArker({ python: false, listen: true });
    try {
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fake.baseUrl).toBe(fake.url);
      expect(fake.clientOptions).toEqual({ apiKey: fake.apiKey, baseUrl: fake.url });
    } finally {
      await fake.close();
    }
  });

  it("the clock control shows the fake's mode and time and moves it", async () => {
    const fake = await createFakeArker({ python: false, clock: "manual", startTime: 1_000 });
    try {
      expect(fake.clock.mode).toBe("manual");
      expect(fake.clock.now()).toBe(1_000);
      await fake.clock.advance(250);
      expect(fake.clock.now()).toBe(1_250);
    } finally {
      await fake.close();
    }
  });

  it("snapshots, file views, signed URL tokens, tunnels and host failure reach the state", async () => {
    const client = await openClient("in-process");
    try {
      const { fake } = client;
      const vm = await forkUbuntu(client);
      expect(fake.vms.map((snapshot) => snapshot.vm_id)).toContain(vm.vm_id);
      expect(fake.requests.map((entry) => entry.path)).toContain("/v1/fork");
      await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: {
          op: "write",
          writes: [
            { path: "/tmp/a.txt", size: 2, upload_id: "u1", content: "aGk=", start: 0, end: 2 },
          ],
        },
      });
      expect(Buffer.from(fake.files(vm.vm_id).read("/tmp/a.txt") ?? []).toString()).toBe("hi");

      await client.call("POST", "/v1/filesystems", { body: { name: "facade" } });
      expect(fake.filesystems.map((filesystem) => filesystem.name)).toEqual(["facade"]);

      expect(fake.signedUrlTokens()).toEqual([]);
      const presign = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "write", writes: [{ path: "/tmp/big.bin", size: 4, presigned: true }] },
      });
      const url: string = presign.json.results[0].presigned_url;
      expect(fake.signedUrlTokens()).toHaveLength(1);
      expect(url).toContain(fake.signedUrlTokens()[0]);

      fake.tunnels.serve(vm.vm_id, 8000, () => new Response("served"));
      const tunnel = await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
        body: { port: 8000, visibility: "public" },
      });
      const answer = await client.fetchUrl("GET", tunnel.json.url);
      expect(Buffer.from(answer.bytes).toString()).toBe("served");

      fake.failHost(vm.vm_id);
      expect(fake.vms.find((snapshot) => snapshot.vm_id === vm.vm_id)?.state).toBe("failed");
    } finally {
      await client.close();
    }
  });

  it("addOrg, revokeKey and reset act on the fake; close is idempotent and is asyncDispose", async () => {
    const client = await openClient("in-process");
    const { fake } = client;
    const other = fake.addOrg("facade-org");
    expect((await client.call("GET", "/v1/vms", { key: other.apiKey })).status).toBe(200);
    expect(fake.revokeKey(other.apiKey)).toBe(true);
    expect((await client.call("GET", "/v1/vms", { key: other.apiKey })).status).toBe(401);
    await forkUbuntu(client);
    const key = fake.apiKey;
    fake.reset();
    expect(fake.vms.filter((snapshot) => snapshot.owner_org_id === fake.orgId)).toEqual([]);
    expect(fake.apiKey).toBe(key);
    expect(fake[Symbol.asyncDispose]).toBe(fake.close);
    const closing = fake.close();
    expect(closing).toBeInstanceOf(Promise);
    expect(fake.close()).toBe(closing);
    await closing;
  });
});
