import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DoorKind,
  expectError,
  FORKED_VM_KEYS,
  forkUbuntu,
  keysOf,
  openClient,
  type RawClient,
  run,
  VM_KEYS,
} from "./helpers.js";

// Issue 11 (fidelity): what the real 0.5-0.8 Arker clients send, as they send it, through
// both doors. Each describe names its item.
describe.each<DoorKind>(["in-process", "http"])("fidelity through the %s door", (kind) => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient(kind, { clock: "manual" });
  });
  afterEach(async () => {
    await client.close();
  });

  const sessionOf = async (vmId: string, index = 0) =>
    (await client.call("GET", `/v1/vms/${vmId}`)).json.sessions[index];

  describe("item 1: the control host", () => {
    it("the fake's one origin serves the control-plane list calls, under /v1 and /api/v1", async () => {
      await forkUbuntu(client);
      for (const path of ["/v1/vms", "/api/v1/vms", "/v1/filesystems", "/api/v1/filesystems"]) {
        const listed = await client.call("GET", path);
        expect([path, listed.status]).toEqual([path, 200]);
      }
      expect((await client.call("GET", "/api/v1/vms")).json.vms).toHaveLength(1);
    });
  });

  describe("item 2: a bare golden name", () => {
    it("forks {source_vm_name: ubuntu} with no org from the ArkerHQ goldens", async () => {
      const forked = await client.call("POST", "/v1/fork", { body: { source_vm_name: "ubuntu" } });
      expect(forked.status).toBe(200);
      expect(forked.json.root_source_vm_name).toBe("ubuntu");
      expect(forked.json.owner_org_id).toBe(client.fake.orgId);
    });

    it("prefers a VM of that name in the caller's org, then 404s for an unknown name", async () => {
      const mine = await forkUbuntu(client, { name: "ubuntu" });
      const forked = await client.call("POST", "/v1/fork", { body: { source_vm_name: "ubuntu" } });
      expect(forked.json.root_source_vm_id).toBe(mine.root_source_vm_id);
      const child = await client.call("POST", "/v1/fork", {
        body: { source_vm_name: "ubuntu", name: "grandchild" },
      });
      expect(child.status).toBe(200);
      const missing = await client.call("POST", "/v1/fork", { body: { source_vm_name: "nope" } });
      expectError(missing, 404, "not_found");
      expect(missing.json.message).toBe(`vm not found: ${client.fake.orgId}/nope`);
    });

    it("does not fall back when the org is named", async () => {
      const other = client.fake.addOrg("org_named");
      expectError(
        await client.call("POST", "/v1/fork", {
          body: { source_vm_name: "ubuntu", source_org_id: "org_named" },
          key: other.apiKey,
        }),
        404,
        "not_found",
      );
    });
  });

  describe("item 3: the fork answer", () => {
    it("has no vcpu_count, memory_mib or disk_mib; GET of the VM has them", async () => {
      const forked = await client.call("POST", "/v1/fork", { body: { source_vm_name: "ubuntu" } });
      expect(keysOf(forked.json)).toEqual(FORKED_VM_KEYS);
      for (const key of ["vcpu_count", "memory_mib", "disk_mib"]) {
        expect(forked.json).not.toHaveProperty(key);
      }
      const got = await client.call("GET", `/v1/vms/${forked.json.vm_id}`);
      expect(keysOf(got.json)).toEqual(VM_KEYS);
    });
  });

  describe("item 4: resize during a run", () => {
    it("is accepted right after a background run starts", async () => {
      const vm = await forkUbuntu(client);
      const started = await run(client, vm.vm_id, { command: "sleep 30", background: true });
      expect(started.status).toBe(202);
      const resized = await client.call("POST", `/v1/vms/${vm.vm_id}/resize`, {
        body: { vcpu_count: 4, memory_mib: 8192 },
      });
      expect(resized.status).toBe(200);
      expect(resized.json).toEqual({ resized: true });
      const got = (await client.call("GET", `/v1/vms/${vm.vm_id}`)).json;
      expect(got).toMatchObject({ state: "running", vcpu_count: 4, memory_mib: 8192 });
    });

    it("answers vm_busy only through a fault rule", async () => {
      const vm = await forkUbuntu(client);
      client.fake.faults.add({
        method: "POST",
        path: "/v1/vms/*/resize",
        effect: { type: "respond", status: 409, code: "vm_busy", message: "busy" },
      });
      expectError(
        await client.call("POST", `/v1/vms/${vm.vm_id}/resize`, { body: { vcpu_count: 4 } }),
        409,
        "vm_busy",
      );
    });
  });

  describe("item 6: session state", () => {
    it("a run ending with exit keeps the session's cwd and env", async () => {
      const vm = await forkUbuntu(client);
      await run(client, vm.vm_id, { command: "cd /tmp; export KEEP=1" });
      const exited = await run(client, vm.vm_id, { command: "cd /; export K=1; exit 0" });
      expect(exited.json.exit_code).toBe(0);
      const session = await sessionOf(vm.vm_id);
      expect([session.cwd, session.env]).toEqual(["/tmp", { KEEP: "1" }]);
      const pwd = await run(client, vm.vm_id, { command: "pwd; echo $KEEP" });
      expect(pwd.json.stdout).toBe("/tmp\n1\n");
    });

    it("a fresh VM's default session stays in /home/user after `echo out; exit 3`", async () => {
      const vm = await forkUbuntu(client);
      const exited = await run(client, vm.vm_id, { command: "echo out; exit 3" });
      expect(exited.json).toMatchObject({ stdout: "out\n", exit_code: 3 });
      expect((await sessionOf(vm.vm_id)).cwd).toBe("/home/user");
      expect((await run(client, vm.vm_id, { command: "pwd" })).json.stdout).toBe("/home/user\n");
    });

    it("a run's own cwd applies to that run only; a cd inside it still moves the session", async () => {
      const vm = await forkUbuntu(client);
      expect((await run(client, vm.vm_id, { command: "pwd", cwd: "/tmp" })).json.stdout).toBe(
        "/tmp\n",
      );
      expect((await run(client, vm.vm_id, { command: "pwd" })).json.stdout).toBe("/home/user\n");
      await run(client, vm.vm_id, { command: "cd /etc", cwd: "/tmp" });
      expect((await run(client, vm.vm_id, { command: "pwd" })).json.stdout).toBe("/etc\n");
    });
  });

  describe("item 7: mount by name", () => {
    it("mounts the org's filesystem of that name at the given path", async () => {
      const vm = await forkUbuntu(client);
      const created = await client.call("POST", "/v1/filesystems", { body: { name: "data" } });
      const mounted = await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
        body: { path: "/data", filesystem_name: "data", create_if_missing: false },
      });
      expect(mounted.status).toBe(200);
      expect(mounted.json).toMatchObject({
        filesystem_id: created.json.filesystem_id,
        path: "/data",
        vm_id: vm.vm_id,
      });
    });

    it("creates it when asked, and mounts at /mnt/<name> without a path (the Python client)", async () => {
      const vm = await forkUbuntu(client);
      const mounted = await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
        body: { filesystem_name: "fresh", create_if_missing: true },
      });
      expect(mounted.status).toBe(200);
      expect(mounted.json.path).toBe("/mnt/fresh");
      const listed = await client.call("GET", "/v1/filesystems?name_prefix=fresh");
      expect(
        listed.json.filesystems.map((f: { filesystem_id: string }) => f.filesystem_id),
      ).toEqual([mounted.json.filesystem_id]);
      await run(client, vm.vm_id, { command: "echo hi > /mnt/fresh/a.txt" });
      const other = await forkUbuntu(client);
      const again = await client.call("POST", `/v1/vms/${other.vm_id}/syncs`, {
        body: { filesystem_name: "fresh", create_if_missing: true },
      });
      expect(again.json.filesystem_id).toBe(mounted.json.filesystem_id);
      const cat = await run(client, other.vm_id, { command: "cat /mnt/fresh/a.txt" });
      expect(cat.json.stdout).toBe("hi\n");
    });

    it("404s for a missing name not asked to be created; 400 for both or neither source", async () => {
      const vm = await forkUbuntu(client);
      const path = `/v1/vms/${vm.vm_id}/syncs`;
      for (const body of [
        { path: "/x", filesystem_name: "absent", create_if_missing: false },
        { filesystem_name: "absent" },
      ]) {
        expectError(await client.call("POST", path, { body }), 404, "not_found");
      }
      const fs = await client.call("POST", "/v1/filesystems", { body: { name: "one" } });
      for (const body of [
        { path: "/x" },
        { path: "/x", filesystem_id: fs.json.filesystem_id, filesystem_name: "one" },
        { path: "/x", filesystem_id: fs.json.filesystem_id, create_if_missing: true },
        { filesystem_name: "a/b", create_if_missing: true },
      ]) {
        expectError(await client.call("POST", path, { body }), 400, "bad_request");
      }
      expect((await client.call("GET", "/v1/filesystems")).json.filesystems).toHaveLength(1);
    });
  });

  describe("item 9: fields the real clients send", () => {
    it("accepts the run fields and explicit nulls", async () => {
      const vm = await forkUbuntu(client);
      const answered = await run(client, vm.vm_id, {
        command: "echo ok",
        end_symbol: "__END__",
        acquire: true,
        release: true,
        session_idx: 0,
        vcpu_count: 2,
        memory_mib: 4096,
        disk_mib: 10240,
        network: true,
        session_id: null,
        timeout: null,
        env: null,
        cwd: null,
        background: null,
        time_to_background: null,
      });
      expect(answered.status).toBe(200);
      expect(answered.json.stdout).toBe("ok\n");
    });

    it("honours time_to_background: 0 answers 202 at once, else after that many seconds", async () => {
      const vm = await forkUbuntu(client);
      const atOnce = await run(client, vm.vm_id, { command: "echo hi", time_to_background: 0 });
      expect(atOnce.status).toBe(202);
      expect(keysOf(atOnce.json)).toEqual(["run_id", "state"]);
      const early = await run(client, vm.vm_id, { command: "sleep 5", time_to_background: 1 });
      expect(early.status).toBe(202);
      await client.fake.clock.advance(10_000);
      const inWindow = await run(client, vm.vm_id, {
        command: "sleep 5; echo done",
        time_to_background: 10,
      });
      expect(inWindow.status).toBe(200);
      expect(inWindow.json.stdout).toBe("done\n");
      expectError(
        await run(client, vm.vm_id, { command: "true", time_to_background: -1 }),
        400,
        "bad_request",
      );
    });

    it("accepts the fork fields and explicit nulls", async () => {
      const forked = await client.call("POST", "/v1/fork", {
        body: {
          source_vm_name: "ubuntu",
          network: true,
          tunnels: [],
          max_memory_mib: 8192,
          disk: true,
          source_org_id: null,
          name: null,
          public: null,
          vcpu_count: null,
          memory_mib: null,
          disk_mib: null,
          durable: null,
        },
      });
      expect(forked.status).toBe(200);
      const sized = await client.call("POST", "/v1/fork", {
        body: { source_vm_name: "ubuntu", disk: { size_mib: 20480 } },
      });
      expect(sized.status).toBe(200);
    });
  });

  describe("item 10: chunk-write ranges", () => {
    it("are objects {start, end} with end exclusive", async () => {
      const vm = await forkUbuntu(client);
      const write = (start: number, end: number, content: string) =>
        client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
          body: {
            op: "write",
            writes: [{ path: "/tmp/r.txt", size: 6, upload_id: "u_r", content, start, end }],
          },
        });
      const first = await write(3, 6, Buffer.from("def").toString("base64"));
      expect(first.json.results[0].ranges).toEqual([{ start: 3, end: 6 }]);
      expect(first.json.results[0].complete).toBe(false);
      const second = await write(0, 3, Buffer.from("abc").toString("base64"));
      expect(second.json.results[0].ranges).toEqual([{ start: 0, end: 6 }]);
      expect(second.json.results[0].written).toBe(true);
    });
  });

  describe("item 11: later clients", () => {
    const gzipped = (value: unknown) => new Uint8Array(gzipSync(JSON.stringify(value)));
    const gzipHeaders = { "content-encoding": "gzip", "content-type": "application/json" };

    it("accepts a gzip request body (a sync write of 16 KiB and more)", async () => {
      const vm = await forkUbuntu(client);
      const content = Buffer.alloc(20 * 1024, "a");
      const body = {
        op: "write",
        writes: [
          {
            path: "/tmp/gz.txt",
            size: content.byteLength,
            upload_id: "u_gz",
            content: content.toString("base64"),
            start: 0,
            end: content.byteLength,
          },
        ],
      };
      const written = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        rawBody: gzipped(body),
        headers: gzipHeaders,
      });
      expect(written.status).toBe(200);
      expect(written.json.results[0]).toMatchObject({ complete: true, written: true });
      const wc = await run(client, vm.vm_id, { command: "wc -c < /tmp/gz.txt" });
      expect(wc.json.stdout.trim()).toBe(String(content.byteLength));
      const forked = await client.call("POST", "/v1/fork", {
        rawBody: gzipped({ source_vm_name: "ubuntu" }),
        headers: gzipHeaders,
      });
      expect(forked.status).toBe(200);
    });

    it("refuses a gzip bomb with 413 by its inflated size, and bad gzip with 400", async () => {
      const small = await openClient(kind, { clock: "manual", maxBodyBytes: 64 * 1024 });
      try {
        const vm = await forkUbuntu(small);
        // 32 MiB of zeros: about 32 KiB on the wire, refused once inflation passes 64 KiB.
        const bomb = new Uint8Array(gzipSync(Buffer.alloc(32 * 1024 * 1024)));
        expect(bomb.byteLength).toBeLessThan(64 * 1024);
        const refused = await small.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
          rawBody: bomb,
          headers: gzipHeaders,
        });
        expectError(refused, 413, "payload_too_large");
        expect(refused.json.message).toContain("once inflated");
        expectError(
          await small.call("POST", "/v1/fork", {
            rawBody: new Uint8Array([1, 2, 3]),
            headers: gzipHeaders,
          }),
          400,
          "bad_request",
        );
        expectError(
          await small.call("POST", "/v1/fork", {
            rawBody: JSON.stringify({ source_vm_name: "ubuntu" }),
            headers: { "content-encoding": "br" },
          }),
          400,
          "bad_request",
        );
      } finally {
        await small.close();
      }
    });

    it("PATCH /v1/vms/{id} with {resources} resizes and answers the VM", async () => {
      const vm = await forkUbuntu(client);
      await run(client, vm.vm_id, { command: "sleep 30", background: true });
      const patched = await client.call("PATCH", `/v1/vms/${vm.vm_id}`, {
        body: { resources: { vcpu: 4, memory_mib: 8192, disk_mib: 20480 } },
      });
      expect(patched.status).toBe(200);
      expect(keysOf(patched.json)).toEqual(VM_KEYS);
      expect(patched.json).toMatchObject({ vcpu_count: 4, memory_mib: 8192, disk_mib: 20480 });
      const path = `/v1/vms/${vm.vm_id}`;
      for (const body of [{}, { resources: {} }, { resources: 4 }, { resources: { vcpu: 65 } }]) {
        expectError(await client.call("PATCH", path, { body }), 400, "bad_request");
      }
      expectError(
        await client.call("PATCH", path, { body: { resources: { disk_mib: 100 } } }),
        400,
        "bad_request",
      );
      const other = client.fake.addOrg("org_patch");
      expectError(
        await client.call("PATCH", path, { body: { resources: { vcpu: 2 } }, key: other.apiKey }),
        404,
        "not_found",
      );
    });

    it("GET /v1/vms/{name} finds a VM by name in the caller's org only", async () => {
      await forkUbuntu(client, { name: "web" });
      const newer = await forkUbuntu(client, { name: "web" });
      const got = await client.call("GET", "/v1/vms/web");
      expect(got.status).toBe(200);
      expect(got.json.vm_id).toBe(newer.vm_id);
      expect(keysOf(got.json)).toEqual(VM_KEYS);
      const other = client.fake.addOrg("org_names");
      expectError(await client.call("GET", "/v1/vms/web", { key: other.apiKey }), 404, "not_found");
      expectError(await client.call("GET", "/v1/vms/ubuntu"), 404, "not_found");
      expectError(await client.call("GET", "/v1/vms/nothing"), 404, "not_found");
    });
  });

  describe("item 12: presigned PUT", () => {
    it("accepts a PUT with no content-type", async () => {
      const vm = await forkUbuntu(client);
      const size = 16;
      const presign = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "write", writes: [{ path: "/tmp/p.bin", size, presigned: true }] },
      });
      const { presigned_url: url, upload_id } = presign.json.results[0];
      const put = await client.fetchUrl("PUT", url, new Uint8Array(size).fill(7));
      expect(put.status).toBe(200);
      const commit = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "write", writes: [{ path: "/tmp/p.bin", size, upload_id }] },
      });
      expect(commit.json.results[0]).toMatchObject({ complete: true, written: true });
    });
  });
});
