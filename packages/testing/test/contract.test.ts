import { PUBLIC_GOLDENS } from "@arker-ai/core/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  COMPLETED_RUN_KEYS,
  type DoorKind,
  expectError,
  FORKED_VM_KEYS,
  forkUbuntu,
  keysOf,
  openClient,
  type RawClient,
  RUN_KEYS,
  run,
  VM_KEYS,
} from "./helpers.js";

// The wire contract (docs/arker-api.md), driven with raw undici.request through both doors.
describe.each<DoorKind>(["in-process", "http"])("contract through the %s door", (kind) => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient(kind, { maxFileBytes: 8 * 1024 * 1024, clock: "manual" });
  });
  afterEach(async () => {
    await client.close();
  });

  describe("common rules", () => {
    it("serves health without auth, under /v1 and /api/v1", async () => {
      for (const path of ["/v1/health", "/api/v1/health"]) {
        const response = await client.call("GET", path, { key: null });
        expect(response.status).toBe(200);
        expect(response.json).toEqual({ status: "ok", timestamp: "2025-01-01T00:00:00.000Z" });
        expect(response.headers["x-request-id"]).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
      }
    });

    it("answers 401 for a missing, unknown or revoked key", async () => {
      expectError(await client.call("GET", "/v1/vms", { key: null }), 401, "unauthorized");
      expectError(
        await client.call("GET", "/v1/vms", { key: "ark_test_nope" }),
        401,
        "unauthorized",
      );
      const org = client.fake.addOrg("org_other");
      expect((await client.call("GET", "/v1/vms", { key: org.apiKey })).status).toBe(200);
      client.fake.revokeKey(org.apiKey);
      expectError(await client.call("GET", "/v1/vms", { key: org.apiKey }), 401, "unauthorized");
    });

    it("answers 404 for unknown routes and wrong methods, 400 for bad JSON", async () => {
      expectError(await client.call("GET", "/v1/nothing"), 404, "not_found");
      expectError(await client.call("PATCH", "/v1/vms"), 404, "not_found");
      expectError(
        await client.call("POST", "/v1/fork", { rawBody: "{not json" }),
        400,
        "bad_request",
      );
      expectError(await client.call("POST", "/v1/fork", { rawBody: "[1,2]" }), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms/%E0%A4%A"), 400, "bad_request");
    });
  });

  describe("VMs", () => {
    it("forks a golden by name with the exact Vm key set, less the size", async () => {
      const vm = await forkUbuntu(client, { name: "child" });
      expect(keysOf(vm)).toEqual(FORKED_VM_KEYS);
      expect(vm.vm_id).toMatch(/^vm_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(vm).toMatchObject({
        owner_org_id: "org_test",
        public: false,
        state: "idle",
        name: "child",
        root_source_vm_name: "ubuntu",
        durable: false,
      });
      expect(vm.sessions).toHaveLength(1);
      expect(keysOf(vm.sessions[0])).toEqual([
        "cwd",
        "env",
        "session_id",
        "session_idx",
        "started_at",
        "state",
      ]);
      expect(vm.sessions[0]).toMatchObject({ session_idx: 0, cwd: "/home/user", env: {} });
    });

    it("forks by id, keeps the root source, and validates the source", async () => {
      const parent = await forkUbuntu(client);
      const child = await client.call("POST", "/v1/fork", {
        body: { source_vm_id: parent.vm_id, durable: true },
      });
      expect(child.status).toBe(200);
      expect(child.json.root_source_vm_id).toBe(parent.root_source_vm_id);
      expect(child.json.durable).toBe(true);
      expectError(await client.call("POST", "/v1/fork", { body: {} }), 400, "bad_request");
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { source_vm_id: parent.vm_id, source_vm_name: "ubuntu" },
        }),
        400,
        "bad_request",
      );
      // A bare name not in the caller's org nor among the goldens is 404.
      expectError(
        await client.call("POST", "/v1/fork", { body: { source_vm_name: "no-such-vm" } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", "/v1/fork", { body: { source_vm_id: "vm_missing" } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { source_vm_id: parent.vm_id, vcpu_count: 65 },
        }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { source_vm_id: parent.vm_id, public: "yes" },
        }),
        400,
        "bad_request",
      );
    });

    it("hides other orgs' private VMs and lets them fork public ones", async () => {
      const mine = await forkUbuntu(client, { name: "private-one" });
      const shared = await forkUbuntu(client, { name: "shared", public: true });
      const other = client.fake.addOrg("org_b");
      const asOther = { key: other.apiKey };
      expectError(await client.call("GET", `/v1/vms/${mine.vm_id}`, asOther), 404, "not_found");
      expectError(
        await client.call("POST", "/v1/fork", { ...asOther, body: { source_vm_id: mine.vm_id } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", "/v1/fork", {
          ...asOther,
          body: { source_vm_name: "private-one", source_org_id: "org_test" },
        }),
        404,
        "not_found",
      );
      const forked = await client.call("POST", "/v1/fork", {
        ...asOther,
        body: { source_vm_name: "shared", source_org_id: "org_test" },
      });
      expect(forked.status).toBe(200);
      expect(forked.json.owner_org_id).toBe("org_b");
      expectError(
        await client.call("DELETE", `/v1/vms/${shared.vm_id}`, asOther),
        403,
        "forbidden",
      );
      expectError(await client.call("DELETE", `/v1/vms/${mine.vm_id}`, asOther), 404, "not_found");
    });

    it("lists with filters and cursor pagination, newest first", async () => {
      const first = await forkUbuntu(client);
      const second = await forkUbuntu(client);
      const third = await forkUbuntu(client);
      const page1 = await client.call("GET", "/v1/vms?limit=2");
      expect(page1.status).toBe(200);
      expect(keysOf(page1.json)).toEqual(["next_cursor", "vms"]);
      expect(page1.json.vms.map((vm: { vm_id: string }) => vm.vm_id)).toEqual([
        third.vm_id,
        second.vm_id,
      ]);
      expect(typeof page1.json.next_cursor).toBe("string");
      const page2 = await client.call(
        "GET",
        `/v1/vms?limit=2&cursor=${encodeURIComponent(page1.json.next_cursor)}`,
      );
      expect(page2.json.vms.map((vm: { vm_id: string }) => vm.vm_id)).toEqual([first.vm_id]);
      expect(page2.json.next_cursor).toBeNull();
      const goldens = await client.call("GET", "/v1/vms?source_org_id=ArkerHQ&limit=1000");
      expect(goldens.json.vms.map((vm: { name: string }) => vm.name).sort()).toEqual(
        [...PUBLIC_GOLDENS].sort(),
      );
      expect(goldens.json.vms.every((vm: { public: boolean }) => vm.public)).toBe(true);
      expect((await client.call("GET", "/v1/vms?state=running")).json.vms).toEqual([]);
      expect((await client.call("GET", "/v1/vms?region=eu-west-1")).json.vms).toEqual([]);
      expect(
        (await client.call("GET", "/v1/vms?started_after=2024-12-31T00:00:00Z")).json.vms,
      ).toHaveLength(3);
      expectError(await client.call("GET", "/v1/vms?limit=0"), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms?limit=1001"), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms?limit=ten"), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms?cursor=garbage!"), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms?state=sleeping"), 400, "bad_request");
      expectError(await client.call("GET", "/v1/vms?started_before=yesterday"), 400, "bad_request");
    });

    it("gets and deletes a VM; goldens are read-only to others", async () => {
      const vm = await forkUbuntu(client);
      const got = await client.call("GET", `/v1/vms/${vm.vm_id}`);
      expect(got.status).toBe(200);
      expect(keysOf(got.json)).toEqual(VM_KEYS);
      const deleted = await client.call("DELETE", `/v1/vms/${vm.vm_id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({ deleted: true });
      expectError(await client.call("GET", `/v1/vms/${vm.vm_id}`), 404, "not_found");
      const golden = client.fake.vms.find((candidate) => candidate.name === "ubuntu")!;
      expect((await client.call("GET", `/v1/vms/${golden.vm_id}`)).status).toBe(200);
      expectError(await client.call("DELETE", `/v1/vms/${golden.vm_id}`), 403, "forbidden");
    });

    it("resizes within the limits, also while a run is in flight", async () => {
      const vm = await forkUbuntu(client);
      const path = `/v1/vms/${vm.vm_id}/resize`;
      const resized = await client.call("POST", path, {
        body: { vcpu_count: 4, memory_mib: 8192, disk_mib: 20480 },
      });
      expect(resized.status).toBe(200);
      expect(resized.json).toEqual({ resized: true });
      expect((await client.call("GET", `/v1/vms/${vm.vm_id}`)).json).toMatchObject({
        vcpu_count: 4,
        memory_mib: 8192,
        disk_mib: 20480,
      });
      expectError(await client.call("POST", path, { body: {} }), 400, "bad_request");
      expectError(
        await client.call("POST", path, { body: { vcpu_count: null } }),
        400,
        "bad_request",
      );
      expectError(await client.call("POST", path, { body: { vcpu_count: 0 } }), 400, "bad_request");
      expectError(
        await client.call("POST", path, { body: { vcpu_count: 65 } }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", path, { body: { memory_mib: 300 } }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", path, { body: { memory_mib: 262400 } }),
        400,
        "bad_request",
      );
      expectError(await client.call("POST", path, { body: { disk_mib: 100 } }), 400, "bad_request");
      const background = await run(client, vm.vm_id, { command: "sleep 60", background: true });
      expect(background.status).toBe(202);
      expect((await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.state).toBe("running");
      expect((await client.call("POST", path, { body: { vcpu_count: 8 } })).status).toBe(200);
      expect((await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.vcpu_count).toBe(8);
    });
  });

  describe("runs and sessions", () => {
    it("answers a foreground run with the exact completed shape", async () => {
      const vm = await forkUbuntu(client);
      const response = await run(client, vm.vm_id, {
        command: "echo hello; echo oops >&2; exit 3",
      });
      expect(response.status).toBe(200);
      expect(keysOf(response.json)).toEqual(COMPLETED_RUN_KEYS);
      expect(response.json).toMatchObject({
        stdout: "hello\n",
        stdout_encoding: "utf-8",
        stderr: "oops\n",
        stderr_encoding: "utf-8",
        exit_code: 3,
        state: "completed",
        fail_reason: null,
        session_id: vm.sessions[0].session_id,
      });
      expect(response.json.run_id).toMatch(/^run_[0-9A-HJKMNP-TV-Z]{26}$/);
    });

    it("hides a run from another org: 404 under a private VM, 403 under a public one", async () => {
      const other = client.fake.addOrg("org_runs");
      for (const isPublic of [false, true]) {
        const vm = await forkUbuntu(client, { public: isPublic });
        const started = await run(client, vm.vm_id, { command: "echo secret", background: true });
        const runPath = `/v1/vms/${vm.vm_id}/runs/${started.json.run_id}`;
        const seen = await client.call("GET", runPath, { key: other.apiKey });
        if (isPublic) expectError(seen, 403, "forbidden");
        else expectError(seen, 404, "not_found");
        expect(JSON.stringify(seen.json)).not.toContain("secret");
        expect((await client.call("GET", runPath)).json.run_id).toBe(started.json.run_id);
      }
    });

    it("answers a background run 202 and serves get, list and cancel", async () => {
      const vm = await forkUbuntu(client);
      const started = await run(client, vm.vm_id, {
        command: "sleep 100; echo late",
        background: true,
      });
      expect(started.status).toBe(202);
      expect(started.json).toEqual({ run_id: started.json.run_id, state: "running" });
      const runPath = `/v1/vms/${vm.vm_id}/runs/${started.json.run_id}`;
      const got = await client.call("GET", runPath);
      expect(keysOf(got.json)).toEqual(RUN_KEYS);
      expect(got.json).toMatchObject({
        state: "running",
        exit_code: null,
        completed_at: null,
        retry_count: 0,
      });
      await run(client, vm.vm_id, { command: "true", session_idx: 0, background: true });
      const list = await client.call("GET", `/v1/vms/${vm.vm_id}/runs?limit=1`);
      expect(keysOf(list.json)).toEqual(["next_cursor", "runs"]);
      expect(list.json.runs).toHaveLength(1);
      expect(keysOf(list.json.runs[0])).toEqual(RUN_KEYS.filter((key) => !key.startsWith("std")));
      expect(typeof list.json.next_cursor).toBe("string");
      const running = await client.call("GET", `/v1/vms/${vm.vm_id}/runs?state=running`);
      expect(running.json.runs.length).toBeGreaterThanOrEqual(1);
      const cancelled = await client.call("DELETE", runPath);
      expect(cancelled.json).toEqual({ cancelled: true });
      const after = await client.call("GET", runPath);
      expect(after.json).toMatchObject({
        state: "cancelled",
        fail_reason: "cancelled",
        stdout: "",
      });
      expectError(await client.call("DELETE", runPath), 409, "conflict");
      expectError(
        await client.call("GET", `/v1/vms/${vm.vm_id}/runs/run_missing`),
        404,
        "not_found",
      );
      expectError(
        await client.call("GET", `/v1/vms/${vm.vm_id}/runs?state=weird`),
        400,
        "bad_request",
      );
    });

    it("validates run bodies", async () => {
      const vm = await forkUbuntu(client);
      const path = `/v1/vms/${vm.vm_id}/runs`;
      expectError(await client.call("POST", path, { body: {} }), 400, "bad_request");
      expectError(await client.call("POST", path, { body: { command: 42 } }), 400, "bad_request");
      expectError(
        await client.call("POST", path, { body: { command: "true", timeout: -1 } }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", path, { body: { command: "true", env: { A: 1 } } }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", path, { body: { command: "true", cwd: "relative" } }),
        400,
        "bad_request",
      );
      expectError(
        await client.call("POST", path, { body: { command: "true", session_id: "sess_x" } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", path, { body: { command: "true", session_idx: 7 } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", "/v1/vms/vm_missing/runs", { body: { command: "true" } }),
        404,
        "not_found",
      );
      const accepted = await client.call("POST", path, {
        body: {
          command: "true",
          session_id: null,
          timeout: null,
          env: null,
          cwd: null,
          background: null,
        },
      });
      expect(accepted.status).toBe(200);
    });

    it("creates, lists, gets and deletes sessions", async () => {
      const vm = await forkUbuntu(client);
      const base = `/v1/vms/${vm.vm_id}/sessions`;
      const created = await client.call("POST", base, { body: { env: { A: "1" }, cwd: "/tmp" } });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({
        session_idx: 1,
        cwd: "/tmp",
        env: { A: "1" },
        state: "idle",
      });
      const listed = await client.call("GET", base);
      expect(keysOf(listed.json)).toEqual(["next_cursor", "sessions"]);
      expect(
        listed.json.sessions.map((session: { session_idx: number }) => session.session_idx),
      ).toEqual([1, 0]);
      const output = await run(client, vm.vm_id, {
        command: "echo $A; pwd",
        session_id: created.json.session_id,
      });
      expect(output.json.stdout).toBe("1\n/tmp\n");
      const one = await client.call("GET", `${base}/${created.json.session_id}`);
      expect(one.json.session_id).toBe(created.json.session_id);
      expect((await client.call("DELETE", `${base}/${created.json.session_id}`)).json).toEqual({
        deleted: true,
      });
      expectError(await client.call("GET", `${base}/${created.json.session_id}`), 404, "not_found");
      expectError(await client.call("POST", base, { body: { cwd: 5 } }), 400, "bad_request");
    });
  });

  describe("file sync", () => {
    it("reads inline with the exact key set, utf8 or base64", async () => {
      const vm = await forkUbuntu(client);
      const path = `/v1/vms/${vm.vm_id}/sync`;
      const text = await client.call("POST", path, {
        body: { op: "read", path: "/etc/os-release" },
      });
      expect(text.status).toBe(200);
      expect(keysOf(text.json)).toEqual(["content", "encoding", "ok", "op", "path", "size"]);
      expect(text.json).toMatchObject({
        ok: true,
        op: "read",
        path: "/etc/os-release",
        encoding: "utf8",
      });
      expect(text.json.content).toContain("Ubuntu");
      await writeInline(client, vm.vm_id, "/tmp/bin.dat", new Uint8Array([0xff, 0x00, 0xfe]));
      const binary = await client.call("POST", path, {
        body: { op: "read", path: "/tmp/bin.dat" },
      });
      expect(binary.json).toMatchObject({ encoding: "base64", content: "/wD+", size: 3 });
      const missing = await client.call("POST", path, { body: { op: "read", path: "/nope" } });
      expectError(missing, 404, "not_found");
      expect(missing.json.message).toBe("file not found: /nope");
    });

    it("writes an inline chunk with the exact result key set", async () => {
      const vm = await forkUbuntu(client);
      const response = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: {
          op: "write",
          writes: [
            {
              path: "/home/user/a.txt",
              size: 3,
              upload_id: "u1",
              content: "aGkK",
              start: 0,
              end: 3,
            },
          ],
        },
      });
      expect(response.status).toBe(200);
      expect(keysOf(response.json)).toEqual(["ok", "op", "results"]);
      expect(response.json.results[0]).toEqual({
        path: "/home/user/a.txt",
        size: 3,
        received_bytes: 3,
        ranges: [{ start: 0, end: 3 }],
        complete: true,
        written: true,
      });
      const cat = await run(client, vm.vm_id, { command: "cat /home/user/a.txt" });
      expect(cat.json.stdout).toBe("hi\n");
    });

    it("presigns, PUTs without auth, commits, and reads big files back through a signed GET", async () => {
      const vm = await forkUbuntu(client);
      const size = 5 * 1024 * 1024;
      const data = new Uint8Array(size).map((_, index) => index % 251);
      const presign = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "write", writes: [{ path: "/tmp/big.bin", size, presigned: true }] },
      });
      const result = presign.json.results[0];
      expect(keysOf(result)).toEqual([
        "complete",
        "expires_in",
        "method",
        "path",
        "presigned_url",
        "size",
        "upload_id",
        "written",
      ]);
      expect(result).toMatchObject({
        method: "PUT",
        complete: false,
        written: false,
        expires_in: 900,
      });
      expect(result.presigned_url.startsWith(`${client.base}/_fake/blobs/`)).toBe(true);
      expect((await client.fetchUrl("PUT", result.presigned_url, data)).status).toBe(200);
      const commit = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: {
          op: "write",
          writes: [{ path: "/tmp/big.bin", size, upload_id: result.upload_id }],
        },
      });
      expect(commit.json.results[0]).toEqual({
        path: "/tmp/big.bin",
        size,
        complete: true,
        written: true,
      });
      const read = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "read", path: "/tmp/big.bin" },
      });
      expect(keysOf(read.json)).toEqual([
        "expires_in",
        "method",
        "ok",
        "op",
        "path",
        "presigned_url",
        "size",
      ]);
      expect(read.json).toMatchObject({ ok: true, op: "read", method: "GET", size });
      const fetched = await client.fetchUrl("GET", read.json.presigned_url);
      expect(fetched.status).toBe(200);
      expect(Buffer.from(fetched.bytes).equals(Buffer.from(data))).toBe(true);
      // Single method, single object, and it expires.
      expectError(
        {
          ...(await client.fetchUrl("PUT", read.json.presigned_url, data)),
          headers: { "x-request-id": "x" },
        },
        403,
        "forbidden",
      );
      await client.fake.clock.advance(900_000);
      const expired = await client.fetchUrl("GET", read.json.presigned_url);
      expect(expired.status).toBe(403);
    });

    it("rejects bad ops, bad paths and oversized files", async () => {
      const vm = await forkUbuntu(client);
      const path = `/v1/vms/${vm.vm_id}/sync`;
      expectError(
        await client.call("POST", path, { body: { op: "delete", path: "/a" } }),
        400,
        "bad_request",
      );
      expectError(await client.call("POST", path, { body: {} }), 400, "bad_request");
      for (const bad of ["relative.txt", "/a/../b", "/a\u0000b", `/${"x".repeat(4100)}`, 42]) {
        expectError(
          await client.call("POST", path, { body: { op: "read", path: bad } }),
          400,
          "bad_request",
        );
      }
      expectError(
        await client.call("POST", path, {
          body: {
            op: "write",
            writes: [{ path: "/tmp/huge", size: 9 * 1024 * 1024, presigned: true }],
          },
        }),
        413,
        "payload_too_large",
      );
      expectError(
        await client.call("POST", path, { body: { op: "write", writes: "no" } }),
        400,
        "bad_request",
      );
    });
  });

  describe("idempotency keys", () => {
    it("replay fork and run answers for the same key and body, 409 for another body", async () => {
      const headers = { "idempotency-key": "contract-fork" };
      const body = { source_vm_name: "ubuntu", source_org_id: "ArkerHQ" };
      const first = await client.call("POST", "/v1/fork", { body, headers });
      const again = await client.call("POST", "/v1/fork", { body, headers });
      expect(again.status).toBe(200);
      expect(again.json).toEqual(first.json);
      expectError(
        await client.call("POST", "/v1/fork", { body: { ...body, name: "other" }, headers }),
        409,
        "conflict",
      );
      const ran = await run(
        client,
        first.json.vm_id,
        { command: "echo x >> /tmp/n" },
        "contract-run",
      );
      const replayed = await run(
        client,
        first.json.vm_id,
        { command: "echo x >> /tmp/n" },
        "contract-run",
      );
      expect(replayed.json.run_id).toBe(ran.json.run_id);
      expect((await run(client, first.json.vm_id, { command: "cat /tmp/n" })).json.stdout).toBe(
        "x\n",
      );
      expectError(
        await run(client, first.json.vm_id, { command: "echo y" }, "contract-run"),
        409,
        "conflict",
      );
      expectError(
        await run(client, first.json.vm_id, { command: "true" }, "é"),
        400,
        "bad_request",
      );
    });
  });

  describe("filesystems and syncs", () => {
    it("creates, lists, gets and deletes filesystems", async () => {
      const created = await client.call("POST", "/v1/filesystems", { body: { name: "data-1" } });
      expect(created.status).toBe(200);
      expect(keysOf(created.json)).toEqual([
        "created_at",
        "filesystem_id",
        "name",
        "owner_org_id",
        "size_bytes",
      ]);
      expect(created.json).toMatchObject({
        name: "data-1",
        owner_org_id: "org_test",
        size_bytes: 0,
      });
      await client.call("POST", "/v1/filesystems", { body: { name: "logs" } });
      const listed = await client.call("GET", "/v1/filesystems?name_prefix=data");
      expect(keysOf(listed.json)).toEqual(["filesystems", "next_cursor"]);
      expect(listed.json.filesystems.map((fs: { name: string }) => fs.name)).toEqual(["data-1"]);
      const id = created.json.filesystem_id;
      expect((await client.call("GET", `/v1/filesystems/${id}`)).json.filesystem_id).toBe(id);
      const other = client.fake.addOrg("org_c");
      expectError(
        await client.call("GET", `/v1/filesystems/${id}`, { key: other.apiKey }),
        404,
        "not_found",
      );
      expectError(
        await client.call("DELETE", `/v1/filesystems/${id}`, { key: other.apiKey }),
        404,
        "not_found",
      );
      expect((await client.call("GET", `/v1/filesystems/${id}`)).json.filesystem_id).toBe(id);
      expect((await client.call("DELETE", `/v1/filesystems/${id}`)).json).toEqual({
        deleted: true,
      });
      expectError(await client.call("GET", `/v1/filesystems/${id}`), 404, "not_found");
      expectError(await client.call("POST", "/v1/filesystems", { body: {} }), 400, "bad_request");
    });

    it("mounts with the conflict rules", async () => {
      const vm = await forkUbuntu(client);
      const fs = (await client.call("POST", "/v1/filesystems", { body: { name: "shared" } })).json;
      const base = `/v1/vms/${vm.vm_id}/syncs`;
      const sync = await client.call("POST", base, {
        body: { filesystem_id: fs.filesystem_id, path: "/mnt/shared" },
      });
      expect(sync.status).toBe(200);
      expect(keysOf(sync.json)).toEqual(["filesystem_id", "path", "sync_id", "vm_id"]);
      expect(sync.json).toMatchObject({
        vm_id: vm.vm_id,
        filesystem_id: fs.filesystem_id,
        path: "/mnt/shared",
      });
      expectError(
        await client.call("POST", base, {
          body: { filesystem_id: fs.filesystem_id, path: "/mnt/shared" },
        }),
        409,
        "conflict",
      );
      expectError(
        await client.call("DELETE", `/v1/filesystems/${fs.filesystem_id}`),
        409,
        "conflict",
      );
      expectError(
        await client.call("POST", base, { body: { filesystem_id: "fs_missing", path: "/x" } }),
        404,
        "not_found",
      );
      expectError(
        await client.call("POST", base, { body: { filesystem_id: fs.filesystem_id, path: "rel" } }),
        400,
        "bad_request",
      );
      const listed = await client.call("GET", `${base}?filesystem_id=${fs.filesystem_id}`);
      expect(keysOf(listed.json)).toEqual(["next_cursor", "syncs"]);
      expect(listed.json.syncs).toHaveLength(1);
      expect((await client.call("GET", `${base}?filesystem_id=fs_other`)).json.syncs).toEqual([]);
      expect((await client.call("GET", `${base}/${sync.json.sync_id}`)).json).toEqual(sync.json);
      expect((await client.call("DELETE", `${base}/${sync.json.sync_id}`)).json).toEqual({
        deleted: true,
      });
      expectError(await client.call("GET", `${base}/${sync.json.sync_id}`), 404, "not_found");
      expect((await client.call("DELETE", `/v1/filesystems/${fs.filesystem_id}`)).status).toBe(200);
    });
  });
});

describe.each<DoorKind>(["in-process", "http"])("durability switched off (%s door)", (kind) => {
  it("answers durable forks 422 unsupported_operation", async () => {
    const client = await openClient(kind, { durability: false });
    try {
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { source_vm_name: "ubuntu", source_org_id: "ArkerHQ", durable: true },
        }),
        422,
        "unsupported_operation",
      );
      expect(
        (
          await client.call("POST", "/v1/fork", {
            body: { source_vm_name: "ubuntu", source_org_id: "ArkerHQ", durable: false },
          })
        ).status,
      ).toBe(200);
    } finally {
      await client.close();
    }
  });
});

async function writeInline(
  client: RawClient,
  vmId: string,
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  const response = await client.call("POST", `/v1/vms/${vmId}/sync`, {
    body: {
      op: "write",
      writes: [
        {
          path,
          size: bytes.byteLength,
          upload_id: `u-${path}`,
          content: Buffer.from(bytes).toString("base64"),
          start: 0,
          end: bytes.byteLength,
        },
      ],
    },
  });
  if (response.json?.results?.[0]?.written !== true)
    throw new Error(`write failed: ${JSON.stringify(response.json)}`);
}
