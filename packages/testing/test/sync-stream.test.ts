import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { type DoorKind, expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";
import { type TarTestEntry, tarOf } from "./tar-of.js";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let client: RawClient;
afterEach(async () => {
  await client.close();
});

function extract(
  vmId: string,
  bytes: Uint8Array,
  query: Record<string, string> = {},
): ReturnType<RawClient["call"]> {
  const params = new URLSearchParams({
    path: "/home/user/app",
    size: String(bytes.byteLength),
    sha256: sha(bytes),
    extract: "tar",
    ...query,
  });
  return client.call("POST", `/v1/vms/${vmId}/sync-stream?${params}`, {
    rawBody: bytes,
    headers: { "content-type": "application/octet-stream" },
  });
}

describe.each<DoorKind>(["in-process", "http"])("sync-stream (%s door)", (door) => {
  it("extracts files, directories, modes, links and symlinks into the path", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const tar = await tarOf([
      { name: "./", type: "directory" },
      { name: "bin/", type: "directory", mode: 0o750 },
      { name: "bin/run.sh", content: "#!/bin/sh\necho ran\n", mode: 0o755 },
      { name: "src/deep/a.txt", content: "alpha\n" },
      { name: "latest", type: "symlink", linkname: "src/deep/a.txt" },
      { name: "copy.txt", type: "link", linkname: "src/deep/a.txt" },
    ]);
    const answer = await extract(vm.vm_id, tar);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      ok: true,
      op: "extract_stream",
      path: "/home/user/app",
      size: tar.byteLength,
      complete: true,
      extracted: 5,
    });
    const files = client.fake.files(vm.vm_id);
    const text = (path: string) => new TextDecoder().decode(files.read(path));
    expect(text("/home/user/app/src/deep/a.txt")).toBe("alpha\n");
    expect(text("/home/user/app/latest")).toBe("alpha\n");
    expect(text("/home/user/app/copy.txt")).toBe("alpha\n");
    const ran = await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command:
          "stat -c '%a' /home/user/app/bin/run.sh /home/user/app/bin; readlink /home/user/app/latest; /home/user/app/bin/run.sh",
      },
    });
    expect(ran.json.stdout).toBe("755\n750\nsrc/deep/a.txt\nran\n");
  });

  it("an entry replaces a symlink at its path (its target is left alone) and overwrites a file", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command:
          "mkdir -p /home/user/app && echo target > /home/user/app/target.txt && " +
          "ln -s target.txt /home/user/app/link.txt && echo old > /home/user/app/plain.txt",
      },
    });
    const tar = await tarOf([
      { name: "link.txt", content: "new link" },
      { name: "plain.txt", content: "new plain" },
    ]);
    expect((await extract(vm.vm_id, tar)).status).toBe(200);
    const ran = await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command:
          "cd /home/user/app && (test -L link.txt && echo link || echo file) && cat link.txt plain.txt target.txt",
      },
    });
    expect(ran.json.stdout).toBe("file\nnew linknew plaintarget\n");
  });

  it("a later entry named like an earlier symlink of the archive replaces the link, as tar does", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const tar = await tarOf([
      { name: "target.txt", content: "target" },
      { name: "l", type: "symlink", linkname: "target.txt" },
      { name: "l", content: "replaced" },
    ]);
    expect((await extract(vm.vm_id, tar)).status).toBe(200);
    const ran = await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command: "cd /home/user/app && (test -L l && echo link || echo file) && cat l target.txt",
      },
    });
    expect(ran.json.stdout).toBe("file\nreplacedtarget");
  });

  it("extracts a tar.gz", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const gz = new Uint8Array(gzipSync(await tarOf([{ name: "z.txt", content: "zipped" }])));
    const answer = await extract(vm.vm_id, gz, { extract: "tar.gz", path: "/tmp/out" });
    expect(answer.status).toBe(200);
    expect(new TextDecoder().decode(client.fake.files(vm.vm_id).read("/tmp/out/z.txt"))).toBe(
      "zipped",
    );
  });

  it.each<[string, TarTestEntry[]]>([
    ["a '..' segment", [{ name: "../escaped.txt", content: "x" }]],
    ["a deeper '..'", [{ name: "a/../../escaped.txt", content: "x" }]],
    ["an absolute name", [{ name: "/etc/escaped.txt", content: "x" }]],
    ["a symlink to an absolute path", [{ name: "etc", type: "symlink", linkname: "/etc" }]],
    ["a symlink climbing out", [{ name: "up", type: "symlink", linkname: "../../.." }]],
    [
      "a path through the archive's own symlink",
      [
        { name: "here", type: "symlink", linkname: "." },
        { name: "here/up", type: "symlink", linkname: ".." },
      ],
    ],
    ["a hard link to a file outside", [{ name: "pw", type: "link", linkname: "../../x" }]],
  ])("refuses %s with bad_request and writes nothing", async (_what, bad) => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const tar = await tarOf([{ name: "first.txt", content: "written first?" }, ...bad]);
    const answer = await extract(vm.vm_id, tar);
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toContain("nothing was written");
    const files = client.fake.files(vm.vm_id);
    expect(files.exists("/home/user/app")).toBe(false);
    expect(files.exists("/home/user/escaped.txt")).toBe(false);
  });

  it("refuses a path through a symlink already in the VM that leads outside", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${vm.vm_id}/runs`, {
      body: {
        command: "mkdir -p /home/user/app /tmp/outside && ln -s /tmp/outside /home/user/app/out",
      },
    });
    const tar = await tarOf([
      { name: "ok.txt", content: "fine" },
      { name: "out/planted.txt", content: "x" },
    ]);
    expectError(await extract(vm.vm_id, tar), 400, "bad_request");
    const files = client.fake.files(vm.vm_id);
    expect(files.exists("/tmp/outside/planted.txt")).toBe(false);
    expect(files.exists("/home/user/app/ok.txt")).toBe(false);
  });

  it("refuses a wrong size, a wrong sha256, a bad format, a missing path and garbage", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const tar = await tarOf([{ name: "a", content: "a" }]);
    expectError(await extract(vm.vm_id, tar, { size: "1" }), 400, "bad_request");
    expectError(await extract(vm.vm_id, tar, { sha256: "0".repeat(64) }), 400, "bad_request");
    expectError(await extract(vm.vm_id, tar, { extract: "zip" }), 400, "bad_request");
    expectError(await extract(vm.vm_id, tar, { path: "relative" }), 400, "bad_request");
    const junk = new Uint8Array(2048).fill(7);
    expectError(await extract(vm.vm_id, junk), 400, "bad_request");
    expectError(await extract(vm.vm_id, junk, { extract: "tar.gz" }), 400, "bad_request");
    expect(client.fake.files(vm.vm_id).exists("/home/user/app")).toBe(false);
  });

  it("answers 413 when the files would not fit the VM, writing nothing", async () => {
    client = await openClient(door, { maxVmBytes: 1024 * 1024 });
    const vm = await forkUbuntu(client);
    const tar = await tarOf([{ name: "big.bin", content: new Uint8Array(2 * 1024 * 1024) }]);
    expectError(await extract(vm.vm_id, tar), 413, "payload_too_large");
    expect(client.fake.files(vm.vm_id).exists("/home/user/app")).toBe(false);
  });

  it("hides another org's VM (404)", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    const other = client.fake.addOrg("org_other");
    const tar = await tarOf([{ name: "a", content: "a" }]);
    const params = new URLSearchParams({
      path: "/tmp/x",
      size: String(tar.byteLength),
      extract: "tar",
    });
    const answer = await client.call("POST", `/v1/vms/${vm.vm_id}/sync-stream?${params}`, {
      rawBody: tar,
      key: other.apiKey,
      headers: { "content-type": "application/octet-stream" },
    });
    expectError(answer, 404, "not_found");
  });
});

describe("sync-stream query and placement edges", () => {
  /** Posts `body` with exactly these query parameters (none added). */
  function extractWith(vmId: string, query: Record<string, string>, body?: Uint8Array) {
    return client.call("POST", `/v1/vms/${vmId}/sync-stream?${new URLSearchParams(query)}`, {
      ...(body === undefined ? {} : { rawBody: body }),
      headers: { "content-type": "application/octet-stream" },
    });
  }

  it.each([
    ["no extract", { path: "/tmp/x", size: "1" }, 'extract must be "tar" or "tar.gz"'],
    ["no size", { path: "/tmp/x", extract: "tar" }, "size must be the archive's length in bytes"],
    [
      "a size that is not digits",
      { path: "/tmp/x", extract: "tar", size: "-1" },
      "size must be the archive's length in bytes",
    ],
    [
      "a sha256 that is not 64 hex characters",
      { path: "/tmp/x", extract: "tar", size: "1", sha256: "abc" },
      "sha256 must be 64 hex characters",
    ],
  ])("refuses %s with its 400", async (_name, query, message) => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const answer = await extractWith(vm.vm_id, query, new Uint8Array([1]));
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe(message);
  });

  it("counts a missing body as 0 bytes against the size", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const answer = await extractWith(vm.vm_id, { path: "/tmp/x", extract: "tar", size: "5" });
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe("size is 5 but the body has 0 bytes");
  });

  it("refuses a path that is a file", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const tar = await tarOf([{ name: "a", content: "a" }]);
    const answer = await extract(vm.vm_id, tar, { path: "/etc/os-release" });
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe("path is a file: /etc/os-release");
  });

  it("extracts into / with top-level and shared-directory entries", async () => {
    client = await openClient("in-process");
    const vm = await forkUbuntu(client);
    const tar = await tarOf([
      { name: "top.txt", content: "top" },
      { name: "srv/one/a.txt", content: "a" },
      { name: "srv/one/b.txt", content: "b" },
    ]);
    const answer = await extract(vm.vm_id, tar, { path: "/" });
    expect(answer.json).toMatchObject({ path: "/", extracted: 3 });
    const files = client.fake.files(vm.vm_id);
    const text = (path: string) => new TextDecoder().decode(files.read(path));
    expect([text("/top.txt"), text("/srv/one/a.txt"), text("/srv/one/b.txt")]).toEqual([
      "top",
      "a",
      "b",
    ]);
  });
});
