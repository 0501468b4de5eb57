import { errors } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeArker } from "../src/index.js";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

const forkBody = { source_vm_name: "ubuntu", source_org_id: "ArkerHQ" };

describe.each<DoorKind>(["in-process", "http"])("faults through the %s door", (kind) => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient(kind);
  });
  afterEach(async () => {
    await client.close();
  });

  it("responds with an injected status, code and Retry-After, `times` limited", async () => {
    client.fake.faults.add({
      method: "POST",
      path: "/v1/fork",
      times: 1,
      effect: {
        type: "respond",
        status: 503,
        code: "unavailable",
        message: "try later",
        retryAfterSeconds: 2,
      },
    });
    const first = await client.call("POST", "/v1/fork", { body: forkBody });
    expectError(first, 503, "unavailable");
    expect(first.headers["retry-after"]).toBe("2");
    expect(client.fake.vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(0);
    expect((await client.call("POST", "/v1/fork", { body: forkBody })).status).toBe(200);
  });

  it("resets before the handler: the client sees a socket error and nothing happened", async () => {
    client.fake.faults.add({ path: "/v1/fork", times: 1, effect: { type: "reset-before" } });
    const error = await client
      .call("POST", "/v1/fork", { body: forkBody })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errors.SocketError);
    expect((error as { code: string }).code).toBe("UND_ERR_SOCKET");
    expect(client.fake.vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(0);
    expect(client.fake.requests.at(-1)).toMatchObject({ status: 0, fault: "reset-before" });
  });

  it("resets after the handler: the side effect happened, the answer is lost, a keyed retry replays it", async () => {
    const vm = await forkUbuntu(client);
    client.fake.faults.add({
      path: "/v1/vms/*/runs",
      method: "POST",
      times: 1,
      effect: { type: "reset-after" },
    });
    const error = await run(
      client,
      vm.vm_id,
      { command: "echo once >> /tmp/count" },
      "key-1",
    ).catch((caught: unknown) => caught);
    expect((error as { code: string }).code).toBe("UND_ERR_SOCKET");
    expect(Buffer.from(client.fake.files(vm.vm_id).read("/tmp/count")!).toString()).toBe("once\n");
    const retry = await run(client, vm.vm_id, { command: "echo once >> /tmp/count" }, "key-1");
    expect(retry.status).toBe(200);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(Buffer.from(client.fake.files(vm.vm_id).read("/tmp/count")!).toString()).toBe("once\n");
    const runs = (await client.call("GET", `/v1/vms/${vm.vm_id}/runs`)).json.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].run_id).toBe(retry.json.run_id);
  });

  it("adds latency, matches RegExp paths, and can be added and cleared over HTTP", async () => {
    client.fake.faults.add({
      path: /^\/v1\/health$/,
      times: 1,
      effect: { type: "latency", ms: 5 },
    });
    expect((await client.call("GET", "/v1/health", { key: null })).status).toBe(200);
    expect(client.fake.requests.at(-1)?.fault).toBe("latency");
    const added = await client.call("POST", "/_fake/faults", {
      body: { path: "/v1/vms", effect: { type: "respond", status: 429, code: "rate_limited" } },
    });
    expect(added.status).toBe(200);
    expectError(await client.call("GET", "/v1/vms"), 429, "rate_limited");
    expectError(await client.call("GET", "/api/v1/vms"), 429, "rate_limited");
    expect((await client.call("DELETE", "/_fake/faults")).status).toBe(200);
    expect((await client.call("GET", "/v1/vms")).status).toBe(200);
    expectError(
      await client.call("POST", "/_fake/faults", {
        body: { effect: { type: "explode" } },
      }),
      400,
      "bad_request",
    );
  });
});

describe("fault probability", () => {
  it("is seeded: the same seed gives the same outcomes", async () => {
    const outcomes = async (seed: number) => {
      const fake = await createFakeArker({ seed, python: false });
      fake.faults.add({
        probability: 0.5,
        effect: { type: "respond", status: 503, code: "unavailable" },
      });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index++) {
        const { request } = await import("undici");
        const response = await request(`${fake.baseUrl}/v1/health`, {
          dispatcher: fake.dispatcher,
        });
        await response.body.dump();
        statuses.push(response.statusCode);
      }
      await fake.close();
      return statuses;
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });
});

describe("idempotency keys", () => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient("in-process", { clock: "manual" });
  });
  afterEach(async () => {
    await client.close();
  });
  const withKey = (key: string) => ({ "idempotency-key": key });

  it("replays a fork for the same key and body, conflicts for another body", async () => {
    const first = await client.call("POST", "/v1/fork", {
      body: forkBody,
      headers: withKey("fork-1"),
    });
    const second = await client.call("POST", "/v1/fork", {
      body: forkBody,
      headers: withKey("fork-1"),
    });
    expect(second.json.vm_id).toBe(first.json.vm_id);
    expect(client.fake.vms.filter((vm) => vm.owner_org_id === "org_test")).toHaveLength(1);
    expectError(
      await client.call("POST", "/v1/fork", {
        body: { ...forkBody, name: "x" },
        headers: withKey("fork-1"),
      }),
      409,
      "conflict",
    );
    const other = client.fake.addOrg("org_z");
    const elsewhere = await client.call("POST", "/v1/fork", {
      key: other.apiKey,
      body: forkBody,
      headers: withKey("fork-1"),
    });
    expect(elsewhere.json.vm_id).not.toBe(first.json.vm_id);
    expect(client.fake.requests.filter((entry) => entry.replayed)).toHaveLength(1);
  });

  it("tells long bodies apart by their digest and short ones as they are", async () => {
    // The fake keeps a short request as its own fingerprint and hashes a long one: both
    // must replay the same body and refuse another.
    const long = "n".repeat(300);
    for (const [key, name, other] of [
      ["short", "a", "b"],
      ["long", long, `${long.slice(1)}m`],
    ] as const) {
      const first = await client.call("POST", "/v1/fork", {
        body: { ...forkBody, name },
        headers: withKey(key),
      });
      const again = await client.call("POST", "/v1/fork", {
        body: { ...forkBody, name },
        headers: withKey(key),
      });
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.json.vm_id).toBe(first.json.vm_id);
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { ...forkBody, name: other },
          headers: withKey(key),
        }),
        409,
        "conflict",
      );
    }
  });

  it("validates the key: 1-64 printable ASCII", async () => {
    expectError(
      await client.call("POST", "/v1/fork", { body: forkBody, headers: withKey("x".repeat(65)) }),
      400,
      "bad_request",
    );
    expectError(
      await client.call("POST", "/v1/fork", { body: forkBody, headers: withKey("has space") }),
      400,
      "bad_request",
    );
    expect(
      (await client.call("POST", "/v1/fork", { body: forkBody, headers: withKey("x".repeat(64)) }))
        .status,
    ).toBe(200);
  });

  it("covers the other mutating routes (decided extension): a retried DELETE replays instead of 404", async () => {
    const vm = await forkUbuntu(client);
    const first = await client.call("DELETE", `/v1/vms/${vm.vm_id}`, { headers: withKey("del-1") });
    const retry = await client.call("DELETE", `/v1/vms/${vm.vm_id}`, { headers: withKey("del-1") });
    expect(first.json).toEqual({ deleted: true });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ deleted: true });
    const fsA = await client.call("POST", "/v1/filesystems", {
      body: { name: "n" },
      headers: withKey("fs-1"),
    });
    const fsB = await client.call("POST", "/v1/filesystems", {
      body: { name: "n" },
      headers: withKey("fs-1"),
    });
    expect(fsB.json.filesystem_id).toBe(fsA.json.filesystem_id);
    expect(client.fake.filesystems).toHaveLength(1);
  });

  it("is ignored on the file sync route and forgotten after 24 h of fake time", async () => {
    const vm = await forkUbuntu(client);
    const read = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: { op: "read", path: "/etc/hostname" },
      headers: withKey("not valid because spaces"),
    });
    expect(read.status).toBe(200);
    const first = await run(client, vm.vm_id, { command: "true" }, "run-key");
    expect((await run(client, vm.vm_id, { command: "true" }, "run-key")).json.run_id).toBe(
      first.json.run_id,
    );
    await client.fake.clock.advance(24 * 60 * 60 * 1000);
    expect((await run(client, vm.vm_id, { command: "true" }, "run-key")).json.run_id).not.toBe(
      first.json.run_id,
    );
  });
});

describe("request log and secrets", () => {
  it("logs method, path, status, key and org, and never an API key", async () => {
    const client = await openClient("http");
    try {
      await forkUbuntu(client);
      await client.call("GET", "/v1/vms?limit=5", { headers: { "idempotency-key": "k" } });
      const wrong = `${client.fake.apiKey}x`;
      const denied = await client.call("GET", "/v1/vms", { key: wrong });
      expect(JSON.stringify(denied.json)).not.toContain(wrong);
      const log = client.fake.requests;
      expect(log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
        ["POST", "/v1/fork", 200],
        ["GET", "/v1/vms", 200],
        ["GET", "/v1/vms", 401],
      ]);
      expect(log[1]).toMatchObject({ query: "limit=5", idempotencyKey: "k", orgId: "org_test" });
      expect(log[2]?.orgId).toBeNull();
      const overHttp = await client.call("GET", "/_fake/requests");
      for (const text of [JSON.stringify(log), JSON.stringify(overHttp.json)]) {
        expect(text).not.toContain(client.fake.apiKey);
        expect(text).not.toContain("ark_test_");
        expect(text.toLowerCase()).not.toContain("bearer");
      }
    } finally {
      await client.close();
    }
  });
});

describe("pagination on every list route", () => {
  it("pages filesystems, sessions, runs and syncs newest first", async () => {
    const client = await openClient("in-process");
    try {
      const vm = await forkUbuntu(client);
      for (let index = 0; index < 4; index++) {
        await client.call("POST", "/v1/filesystems", { body: { name: `fs-${index}` } });
        await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
        await run(client, vm.vm_id, { command: `echo ${index}` });
      }
      const fsIds = (await client.call("GET", "/v1/filesystems")).json.filesystems.map(
        (fs: { filesystem_id: string }) => fs.filesystem_id,
      );
      for (const fs of fsIds.slice(0, 3)) {
        await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
          body: { filesystem_id: fs, path: `/mnt/${fs}` },
        });
      }
      const lists: Array<[string, string, number]> = [
        ["/v1/filesystems", "filesystems", 4],
        [`/v1/vms/${vm.vm_id}/sessions`, "sessions", 5],
        [`/v1/vms/${vm.vm_id}/runs`, "runs", 4],
        [`/v1/vms/${vm.vm_id}/syncs`, "syncs", 3],
      ];
      for (const [path, field, total] of lists) {
        const all = (await client.call("GET", path)).json[field];
        expect(all).toHaveLength(total);
        const seen: unknown[] = [];
        let cursor: string | null = null;
        do {
          const query: string =
            cursor === null ? "?limit=2" : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
          const page = (await client.call("GET", `${path}${query}`)).json;
          expect(page[field].length).toBeLessThanOrEqual(2);
          seen.push(...page[field]);
          cursor = page.next_cursor;
        } while (cursor !== null);
        expect(seen).toEqual(all);
        expectError(await client.call("GET", `${path}?limit=-1`), 400, "bad_request");
        expectError(await client.call("GET", `${path}?cursor=Zm9v`), 400, "bad_request");
      }
      const runs = (await client.call("GET", `/v1/vms/${vm.vm_id}/runs`)).json.runs;
      expect(runs.map((entry: { command: string }) => entry.command)).toEqual([
        "echo 3",
        "echo 2",
        "echo 1",
        "echo 0",
      ]);
    } finally {
      await client.close();
    }
  });
});

describe("HTTP control routes", () => {
  it("serve orgs, clock, snapshots, reset and fail-host with the default key", async () => {
    const client = await openClient("http", { clock: "manual" });
    try {
      const org = await client.call("POST", "/_fake/orgs", {
        body: { name: "org_http" },
      });
      expect(org.json.org_id).toBe("org_http");
      expect(org.json.api_key).toMatch(/^ark_test_/);
      const vm = await forkUbuntu(client);
      const started = await run(client, vm.vm_id, {
        command: "sleep 40; echo done",
        background: true,
      });
      expect((await client.call("GET", "/_fake/clock")).json.now).toBe("2025-01-01T00:00:00.000Z");
      const advanced = await client.call("POST", "/_fake/clock/advance", {
        body: { ms: 40_000 },
      });
      expect(advanced.json.now).toBe("2025-01-01T00:00:40.000Z");
      const got = await client.call("GET", `/v1/vms/${vm.vm_id}/runs/${started.json.run_id}`);
      expect(got.json).toMatchObject({ state: "completed", stdout: "done\n" });
      expectError(
        await client.call("POST", "/_fake/clock/advance", { body: { ms: -1 } }),
        400,
        "bad_request",
      );
      await client.call("POST", "/v1/filesystems", { body: { name: "snap" } });
      const vms = (await client.call("GET", "/_fake/vms")).json.vms;
      expect(vms.find((entry: { vm_id: string }) => entry.vm_id === vm.vm_id).runs).toHaveLength(1);
      expect((await client.call("GET", "/_fake/filesystems")).json.filesystems).toHaveLength(1);
      const revoked = await client.call("POST", "/_fake/revoke-key", {
        body: { api_key: org.json.api_key },
      });
      expect(revoked.json).toEqual({ revoked: true });
      expectError(
        await client.call("GET", "/v1/vms", { key: org.json.api_key }),
        401,
        "unauthorized",
      );
      expectError(
        await client.call("POST", "/_fake/orgs", { body: { name: "x".repeat(200) } }),
        400,
        "bad_request",
      );
      expectError(await client.call("GET", "/_fake/nothing"), 404, "not_found");
      expect((await client.call("POST", "/_fake/reset")).status).toBe(200);
      expect(client.fake.vms.every((entry) => entry.owner_org_id === "ArkerHQ")).toBe(true);
    } finally {
      await client.close();
    }
  });
});
