// Proves the route handler paths the fast route tests left unrun: list filters, time_to_background, health, blobs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { clock: "manual" });
});
afterEach(async () => {
  await client.close();
});

const ids = (items: { run_id?: string; vm_id?: string }[]) =>
  items.map((item) => item.run_id ?? item.vm_id);

describe("POST /v1/vms/{id}/runs", () => {
  it("takes time_to_background in seconds as the run's synchronous window", async () => {
    const vm = await forkUbuntu(client);
    const within = await run(client, vm.vm_id, {
      command: "sleep 5; echo ok",
      time_to_background: 10,
    });
    expect(within.status).toBe(200);
    expect(within.json).toMatchObject({ state: "completed", stdout: "ok\n" });
    const past = await run(client, vm.vm_id, { command: "sleep 5", time_to_background: 1 });
    expect(past.status).toBe(202);
    expect(past.json.state).toBe("running");
  });
});

describe("GET /v1/vms/{id}/runs", () => {
  it("keeps the runs of the state asked for, and all without one", async () => {
    const vm = await forkUbuntu(client);
    const done = (await run(client, vm.vm_id, { command: "true" })).json.run_id;
    const busy = (await run(client, vm.vm_id, { command: "sleep 100", background: true })).json
      .run_id;
    const list = async (query: string) =>
      ids((await client.call("GET", `/v1/vms/${vm.vm_id}/runs${query}`)).json.runs).sort();
    expect(await list("?state=running")).toEqual([busy]);
    expect(await list("?state=completed")).toEqual([done]);
    expect(await list("?state=failed")).toEqual([]);
    expect(await list("")).toEqual([done, busy].sort());
  });
});

describe("GET /v1/vms", () => {
  it("keeps the VMs of the state asked for", async () => {
    const idle = (await forkUbuntu(client)).vm_id;
    const busy = (await forkUbuntu(client)).vm_id;
    await run(client, busy, { command: "sleep 100", background: true });
    const list = async (state: string) =>
      ids((await client.call("GET", `/v1/vms?state=${state}`)).json.vms);
    expect(await list("running")).toEqual([busy]);
    expect(await list("idle")).toEqual([idle]);
    expect(await list("failed")).toEqual([]);
  });
});

describe("GET /v1/vms by start time", () => {
  it("keeps VMs started strictly after started_after and strictly before started_before", async () => {
    const early = (await forkUbuntu(client)).vm_id;
    await client.fake.clock.advance(1_000);
    const late = (await forkUbuntu(client)).vm_id;
    const list = async (query: string) =>
      ids((await client.call("GET", `/v1/vms?${query}`)).json.vms);
    expect(await list("started_after=2025-01-01T00:00:00.000Z")).toEqual([late]);
    expect(await list("started_before=2025-01-01T00:00:01.000Z")).toEqual([early]);
  });
});

describe("GET /v1/vms/{id}/sessions", () => {
  it("lists the VM's sessions as their views", async () => {
    const vm = await forkUbuntu(client);
    const base = `/v1/vms/${vm.vm_id}/sessions`;
    const created = (await client.call("POST", base, { body: { cwd: "/tmp" } })).json;
    const listed = await client.call("GET", base);
    expect(listed.status).toBe(200);
    const mine = listed.json.sessions.find(
      (session: { session_id: string }) => session.session_id === created.session_id,
    );
    expect(mine).toEqual(created);
    expect(listed.json.sessions).toHaveLength(vm.sessions.length + 1);
  });
});

describe("GET /v1/health", () => {
  it("answers ok with the fake clock's time", async () => {
    await client.fake.clock.advance(1_500);
    const answer = await client.call("GET", "/v1/health", { key: null });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: "ok", timestamp: "2025-01-01T00:00:01.500Z" });
  });
});

describe("/_fake/blobs/{token}", () => {
  it("takes a presigned upload's bytes by PUT and serves a big file's by GET", async () => {
    const vm = await forkUbuntu(client);
    const sync = `/v1/vms/${vm.vm_id}/sync`;
    const size = 5 * 1024 * 1024;
    const data = new Uint8Array(size).map((_, index) => index % 251);
    const presign = await client.call("POST", sync, {
      body: { op: "write", writes: [{ path: "/tmp/big.bin", size, presigned: true }] },
    });
    const upload = presign.json.results[0];
    const put = await client.fetchUrl("PUT", upload.presigned_url, data);
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ok: true });
    const commit = await client.call("POST", sync, {
      body: { op: "write", writes: [{ path: "/tmp/big.bin", size, upload_id: upload.upload_id }] },
    });
    expect(commit.json.results[0]).toMatchObject({ written: true });
    const read = await client.call("POST", sync, { body: { op: "read", path: "/tmp/big.bin" } });
    const fetched = await client.fetchUrl("GET", read.json.presigned_url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(data))).toBe(true);
  });
});
