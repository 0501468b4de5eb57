// `POST /v1/vms/{id}/sync-file`: one file from its raw bytes, the same write as one inline
// chunk of `sync` (idempotent on upload_id, per-entry failures inside the 200), through
// both doors.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type DoorKind, expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const text = (value: string) => new TextEncoder().encode(value);

let client: RawClient;
afterEach(async () => {
  await client.close();
});

function writeBytes(
  vmId: string,
  bytes: Uint8Array,
  query: Record<string, string> = {},
): ReturnType<RawClient["call"]> {
  const params = new URLSearchParams({
    path: "/home/user/f.bin",
    size: String(bytes.byteLength),
    upload_id: "upl_one",
    sha256: sha(bytes),
    ...query,
  });
  return client.call("POST", `/v1/vms/${vmId}/sync-file?${params}`, {
    rawBody: bytes,
    headers: { "content-type": "application/octet-stream" },
  });
}

describe.each<DoorKind>(["in-process", "http"])("sync-file (%s door)", (door) => {
  it("writes the body as the file and answers one write result", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const bytes = new Uint8Array(70_000).map((_, index) => (index * 7) % 256);
    const answer = await writeBytes(vm.vm_id, bytes);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      ok: true,
      op: "write",
      results: [
        {
          path: "/home/user/f.bin",
          size: 70_000,
          received_bytes: 70_000,
          ranges: [{ start: 0, end: 70_000 }],
          complete: true,
          written: true,
        },
      ],
    });
    expect(Buffer.from(client.fake.files(vm.vm_id).read("/home/user/f.bin")!)).toEqual(
      Buffer.from(bytes),
    );
    const read = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: { op: "read", path: "/home/user/f.bin" },
    });
    expect(read.json.content).toBe(Buffer.from(bytes).toString("base64"));
  });

  it("keeps its own copy: the sender's buffer, changed afterwards, leaves the file alone", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const bytes = text("original");
    await writeBytes(vm.vm_id, bytes);
    bytes.fill(0x21);
    const stored = client.fake.files(vm.vm_id).read("/home/user/f.bin")!;
    expect(new TextDecoder().decode(stored)).toBe("original");
  });

  it("writes an empty file, with the sha256 left out", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const params = new URLSearchParams({ path: "/home/user/empty", size: "0", upload_id: "upl_e" });
    const answer = await client.call("POST", `/v1/vms/${vm.vm_id}/sync-file?${params}`, {
      headers: { "content-type": "application/octet-stream" },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.results[0]).toMatchObject({ size: 0, complete: true, written: true });
    expect(client.fake.files(vm.vm_id).read("/home/user/empty")?.byteLength).toBe(0);
  });
});

describe("sync-file is a file write, not an archive", () => {
  it("keeps an existing file's mode and writes through a symlink in its place", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command:
          "echo old > /home/user/run.sh && chmod 755 /home/user/run.sh && " +
          "echo target > /home/user/target.txt && ln -s target.txt /home/user/link.txt",
      },
    });
    await writeBytes(vm.vm_id, text("new\n"), { path: "/home/user/run.sh", upload_id: "upl_a" });
    await writeBytes(vm.vm_id, text("via link\n"), {
      path: "/home/user/link.txt",
      upload_id: "upl_b",
    });
    const ran = await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command:
          "stat -c '%a' /home/user/run.sh; readlink /home/user/link.txt; cat /home/user/target.txt",
      },
    });
    expect(ran.json.stdout).toBe("755\ntarget.txt\nvia link\n");
  });
});

describe("sync-file refusals", () => {
  it.each([
    ["no size", { size: "" }, "size must be the file's length in bytes"],
    ["a size that is not digits", { size: "5e0" }, "size must be the file's length in bytes"],
    ["a size other than the body's", { size: "4" }, "size is 4 but the body has 5 bytes"],
    ["no path", { path: "" }, "path"],
    ["a relative path", { path: "home/f" }, "path"],
    ["no upload_id", { upload_id: "" }, "upload_id must be a non-empty string"],
    ["a sha256 that is not hex", { sha256: "xyz" }, "sha256 must be 64 hex characters"],
  ])("refuses %s with 400 and writes nothing", async (_label, query, message) => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const answer = await writeBytes(vm.vm_id, text("hello"), query);
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toContain(message);
    expect(client.fake.files(vm.vm_id).read("/home/user/f.bin")).toBeUndefined();
  });

  it("answers a sha256 mismatch inside the 200 and writes nothing", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const answer = await writeBytes(vm.vm_id, text("hello"), { sha256: sha(text("other")) });
    expect(answer.status).toBe(200);
    expect(answer.json.results[0]).toMatchObject({
      path: "/home/user/f.bin",
      size: 5,
      error: { code: "bad_request" },
    });
    expect(answer.json.results[0].error.message).toContain("sha256 mismatch");
    expect(client.fake.files(vm.vm_id).read("/home/user/f.bin")).toBeUndefined();
  });

  it("is idempotent on upload_id: a replay changes nothing, another path under it is a conflict", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    expect((await writeBytes(vm.vm_id, text("first"))).status).toBe(200);
    await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: { command: "echo changed > /home/user/f.bin" },
    });
    const replay = await writeBytes(vm.vm_id, text("first"));
    expect(replay.json.results[0]).toMatchObject({ complete: true, written: true });
    const after = client.fake.files(vm.vm_id).read("/home/user/f.bin")!;
    expect(new TextDecoder().decode(after)).toBe("changed\n");
    const other = await writeBytes(vm.vm_id, text("first"), { path: "/home/user/g.bin" });
    expect(other.json.results[0].error).toMatchObject({ code: "conflict" });
  });

  it("refuses a file past the VM's byte cap inside the 200, and one past the file limit with 413", async () => {
    client = await openClient("in-process", { maxVmBytes: 4, maxFileBytes: 8 });
    const vm = await forkUbuntu(client);
    const full = await writeBytes(vm.vm_id, text("hello"));
    expect(full.json.results[0].error).toMatchObject({ code: "payload_too_large" });
    expectError(await writeBytes(vm.vm_id, text("123456789")), 413, "payload_too_large");
  });

  it("answers a VM that is not there 404 and a failed VM 409", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const stranger = await client.call("POST", `/v1/vms/vm_nobody/sync-file?size=1`, {
      rawBody: "x",
      headers: { "content-type": "application/octet-stream" },
    });
    expectError(stranger, 404, "not_found");
    client.fake.failHost(vm.vm_id);
    expectError(await writeBytes(vm.vm_id, text("x")), 409, "conflict");
  });
});
