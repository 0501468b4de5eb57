import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError, forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process");
});
afterEach(async () => {
  await client.close();
});

const sync = (vmId: string, body: unknown) => client.call("POST", `/v1/vms/${vmId}/sync`, { body });
const b64 = (value: string) => Buffer.from(value).toString("base64");

describe("sync writes", () => {
  it("merges inline chunks by upload_id with half-open ranges and replays idempotently", async () => {
    const vm = await forkUbuntu(client);
    const chunk = (start: number, end: number, content: string) => ({
      path: "/tmp/joined.txt",
      size: 10,
      upload_id: "up-1",
      content: b64(content),
      start,
      end,
    });
    const first = await sync(vm.vm_id, { op: "write", writes: [chunk(5, 10, "world")] });
    expect(first.json.results[0]).toEqual({
      path: "/tmp/joined.txt",
      size: 10,
      received_bytes: 5,
      ranges: [{ start: 5, end: 10 }],
      complete: false,
      written: false,
    });
    expect(client.fake.files(vm.vm_id).exists("/tmp/joined.txt")).toBe(false);
    const second = await sync(vm.vm_id, { op: "write", writes: [chunk(0, 5, "hello")] });
    expect(second.json.results[0]).toMatchObject({
      received_bytes: 10,
      ranges: [{ start: 0, end: 10 }],
      complete: true,
      written: true,
    });
    expect((await run(client, vm.vm_id, { command: "cat /tmp/joined.txt" })).json.stdout).toBe(
      "helloworld",
    );
    await run(client, vm.vm_id, { command: "echo changed > /tmp/joined.txt" });
    const replay = await sync(vm.vm_id, { op: "write", writes: [chunk(0, 5, "hello")] });
    expect(replay.json.results[0]).toMatchObject({ complete: true, written: true });
    expect((await run(client, vm.vm_id, { command: "cat /tmp/joined.txt" })).json.stdout).toBe(
      "changed\n",
    );
  });

  it("takes canonical and non-canonical base64 and refuses anything else", async () => {
    const vm = await forkUbuntu(client);
    const entry = (path: string, content: string, size: number) => ({
      path,
      size,
      upload_id: `b64-${path}`,
      content,
      start: 0,
      end: size,
    });
    const response = await sync(vm.vm_id, {
      op: "write",
      writes: [
        entry("/tmp/canonical", b64("AB"), 2),
        // "QR==" decodes to "A" with stray low bits: base64 by the character rule, kept.
        entry("/tmp/loose", "QR==", 1),
        entry("/tmp/symbols", "QU@=", 2),
        entry("/tmp/inner-pad", "Q=I=", 2),
        entry("/tmp/short", "QUI", 2),
      ],
    });
    const [canonical, loose, symbols, innerPad, short] = response.json.results;
    expect(canonical).toMatchObject({ complete: true, written: true });
    expect(client.fake.files(vm.vm_id).read("/tmp/canonical")).toEqual(
      new Uint8Array(Buffer.from("AB")),
    );
    expect(loose).toMatchObject({ complete: true, written: true });
    expect(client.fake.files(vm.vm_id).read("/tmp/loose")).toEqual(
      new Uint8Array(Buffer.from("A")),
    );
    for (const refused of [symbols, innerPad, short]) {
      expect(refused.error).toEqual({
        code: "bad_request",
        message: "content is not valid base64",
      });
    }
  });

  it("writes a zero-length file and reports per-entry errors inside the 200", async () => {
    const vm = await forkUbuntu(client);
    const response = await sync(vm.vm_id, {
      op: "write",
      writes: [
        { path: "/tmp/empty", size: 0, upload_id: "e", content: "", start: 0, end: 0 },
        { path: "/tmp/bad-range", size: 2, upload_id: "r", content: b64("abc"), start: 0, end: 3 },
        { path: "/tmp/x", size: 1, upload_id: "missing-upload" },
        {
          path: "/tmp/sum",
          size: 2,
          upload_id: "s",
          content: b64("hi"),
          start: 0,
          end: 2,
          sha256: "0".repeat(64),
        },
        { path: "/tmp", size: 1, upload_id: "d", content: b64("x"), start: 0, end: 1 },
      ],
    });
    expect(response.status).toBe(200);
    const [empty, badRange, missing, badSum, isDirectory] = response.json.results;
    expect(empty).toMatchObject({ size: 0, complete: true, written: true });
    expect(client.fake.files(vm.vm_id).read("/tmp/empty")).toEqual(new Uint8Array(0));
    expect(badRange.error.code).toBe("bad_request");
    expect(missing.error.code).toBe("not_found");
    expect(badSum.error.code).toBe("bad_request");
    expect(client.fake.files(vm.vm_id).exists("/tmp/sum")).toBe(false);
    expect(isDirectory.error.code).toBe("bad_request");
    const goodSum = createHash("sha256").update("hi").digest("hex");
    const retried = await sync(vm.vm_id, {
      op: "write",
      writes: [
        {
          path: "/tmp/sum",
          size: 2,
          upload_id: "s",
          content: b64("hi"),
          start: 0,
          end: 2,
          sha256: goodSum,
        },
      ],
    });
    expect(retried.json.results[0]).toMatchObject({ written: true });
  });

  it("checks sha256 at commit and keeps commits idempotent", async () => {
    const vm = await forkUbuntu(client);
    const data = Buffer.from("presigned payload");
    const presign = await sync(vm.vm_id, {
      op: "write",
      writes: [{ path: "/home/user/p.txt", size: data.byteLength, presigned: true }],
    });
    const { presigned_url: url, upload_id: uploadId } = presign.json.results[0];
    const early = await sync(vm.vm_id, {
      op: "write",
      writes: [{ path: "/home/user/p.txt", size: data.byteLength, upload_id: uploadId }],
    });
    expect(early.json.results[0].error.code).toBe("bad_request");
    expect((await client.fetchUrl("PUT", url, new Uint8Array(3))).status).toBe(400);
    expect((await client.fetchUrl("PUT", url, data)).status).toBe(200);
    const commit = (sha256?: string) =>
      sync(vm.vm_id, {
        op: "write",
        writes: [{ path: "/home/user/p.txt", size: data.byteLength, upload_id: uploadId, sha256 }],
      });
    expect((await commit("f".repeat(64))).json.results[0].error.code).toBe("bad_request");
    expect(client.fake.files(vm.vm_id).exists("/home/user/p.txt")).toBe(false);
    const good = createHash("sha256").update(data).digest("hex");
    expect((await commit(good)).json.results[0]).toEqual({
      path: "/home/user/p.txt",
      size: data.byteLength,
      complete: true,
      written: true,
    });
    await run(client, vm.vm_id, { command: "rm /home/user/p.txt" });
    expect((await commit(good)).json.results[0]).toMatchObject({ written: true });
    expect(client.fake.files(vm.vm_id).exists("/home/user/p.txt")).toBe(false);
  });
});

describe("mounts", () => {
  it("show a filesystem's files live in every VM that mounts it, and keep them after deletion", async () => {
    const fs = (await client.call("POST", "/v1/filesystems", { body: { name: "cache" } })).json;
    const a = await forkUbuntu(client);
    const b = await forkUbuntu(client);
    for (const vm of [a, b]) {
      const mounted = await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
        body: { filesystem_id: fs.filesystem_id, path: vm === a ? "/mnt/cache" : "/data" },
      });
      expect(mounted.status).toBe(200);
    }
    await run(client, a.vm_id, { command: "echo shared > /mnt/cache/note" });
    expect((await run(client, b.vm_id, { command: "cat /data/note; ls /data" })).json.stdout).toBe(
      "shared\nnote\n",
    );
    const fromSync = await sync(b.vm_id, { op: "read", path: "/data/note" });
    expect(fromSync.json.content).toBe("shared\n");
    expect((await client.call("GET", `/v1/filesystems/${fs.filesystem_id}`)).json.size_bytes).toBe(
      7,
    );
    // A fork does not inherit mounts.
    const child = (await client.call("POST", "/v1/fork", { body: { source_vm_id: a.vm_id } })).json;
    expect((await client.call("GET", `/v1/vms/${child.vm_id}/syncs`)).json.syncs).toEqual([]);
    expect(client.fake.files(child.vm_id).exists("/mnt/cache/note")).toBe(false);
    // Deleting the VMs removes their syncs; the filesystem keeps the files and can be mounted again.
    await client.call("DELETE", `/v1/vms/${a.vm_id}`);
    await client.call("DELETE", `/v1/vms/${b.vm_id}`);
    const c = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${c.vm_id}/syncs`, {
      body: { filesystem_id: fs.filesystem_id, path: "/srv" },
    });
    expect((await run(client, c.vm_id, { command: "cat /srv/note" })).json.stdout).toBe("shared\n");
  });

  it("refuses a mount path that is a file, and deleting a mounted filesystem", async () => {
    const fs = (await client.call("POST", "/v1/filesystems", { body: { name: "f" } })).json;
    const vm = await forkUbuntu(client);
    expectError(
      await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
        body: { filesystem_id: fs.filesystem_id, path: "/etc/os-release" },
      }),
      409,
      "conflict",
    );
    await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
      body: { filesystem_id: fs.filesystem_id, path: "/mnt/f" },
    });
    expectError(
      await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
        body: { filesystem_id: fs.filesystem_id, path: "/mnt/f/sub" },
      }),
      409,
      "conflict",
    );
    expectError(
      await client.call("DELETE", `/v1/filesystems/${fs.filesystem_id}`),
      409,
      "conflict",
    );
    await client.call("DELETE", `/v1/vms/${vm.vm_id}`);
    expect((await client.call("DELETE", `/v1/filesystems/${fs.filesystem_id}`)).status).toBe(200);
  });
});
