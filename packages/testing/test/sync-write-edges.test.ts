import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

/**
 * File sync writes the contract tests leave out: malformed entries (400 for the whole
 * request), per-entry refusals, and the presigned PUT's own checks.
 */

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { maxFileBytes: 1_000_000, maxVmBytes: 1_000_000 });
});
afterEach(async () => {
  await client.close();
});

const sync = (vmId: string, writes: unknown) =>
  client.call("POST", `/v1/vms/${vmId}/sync`, { body: { op: "write", writes } });

/** A valid inline chunk writing `text` whole to `path`. */
const inline = (path: string, text: string, uploadId = path) => {
  const bytes = Buffer.from(text);
  return {
    path,
    size: bytes.byteLength,
    upload_id: uploadId,
    content: bytes.toString("base64"),
    start: 0,
    end: bytes.byteLength,
  };
};

describe("malformed write entries refuse the whole request with 400", () => {
  const cases: Array<[string, unknown, string]> = [
    ["an entry that is not an object", 5, "each write entry must be an object"],
    ["a negative size", { ...inline("/tmp/x", "a"), size: -1 }, "size must be an integer ≥ 0"],
    [
      "a sha256 that is not 64 hex characters",
      { path: "/tmp/x", size: 1, presigned: true, sha256: "abc" },
      "sha256 must be 64 hex characters",
    ],
    [
      "a presigned flag that is not a boolean",
      { path: "/tmp/x", size: 1, presigned: "yes" },
      "presigned must be a boolean",
    ],
    [
      "content that is not a string",
      { ...inline("/tmp/x", "a"), content: 5 },
      "content must be a base64 string",
    ],
    [
      "an empty upload_id",
      inline("/tmp/x", "a", ""),
      "upload_id must be a non-empty string of at most 128 characters",
    ],
    [
      "an upload_id of 129 characters",
      inline("/tmp/x", "a", "u".repeat(129)),
      "upload_id must be a non-empty string of at most 128 characters",
    ],
    [
      "an entry with neither content, presigned nor upload_id",
      { path: "/tmp/x", size: 1 },
      "a write entry needs content (inline chunk), presigned: true, or upload_id (commit)",
    ],
  ];
  it.each(cases)("%s", async (_name, entry, message) => {
    const vm = await forkUbuntu(client);
    const response = await sync(vm.vm_id, [inline("/tmp/first", "kept?"), entry]);
    expectError(response, 400, "bad_request");
    expect(response.json.message).toBe(message);
    expect(client.fake.files(vm.vm_id).exists("/tmp/first")).toBe(false);
  });

  it("presigned: false with inline content is an inline chunk, not a refusal", async () => {
    const vm = await forkUbuntu(client);
    const response = await sync(vm.vm_id, [{ ...inline("/tmp/x", "ok"), presigned: false }]);
    expect(response.status).toBe(200);
    expect(response.json.results[0].written).toBe(true);
  });

  it("an upload_id of 128 characters is accepted", async () => {
    const vm = await forkUbuntu(client);
    const response = await sync(vm.vm_id, [inline("/tmp/x", "ok", "u".repeat(128))]);
    expect(response.json.results[0].written).toBe(true);
  });
});

describe("per-entry refusals", () => {
  it("content whose byte count differs from its range is refused for that entry only", async () => {
    const vm = await forkUbuntu(client);
    const response = await sync(vm.vm_id, [
      { ...inline("/tmp/short", "ab"), size: 3, end: 3 },
      inline("/tmp/fine", "fine"),
    ]);
    expect(response.status).toBe(200);
    expect(response.json.results[0]).toEqual({
      path: "/tmp/short",
      size: 3,
      error: {
        code: "bad_request",
        message: "content holds 2 bytes but the range [0, 3) needs 3",
      },
    });
    expect(response.json.results[1].written).toBe(true);
    expect(client.fake.files(vm.vm_id).exists("/tmp/short")).toBe(false);
  });

  it("a chunk under an upload_id started for another path or size is a conflict", async () => {
    const vm = await forkUbuntu(client);
    const first = { ...inline("/tmp/a", "abcd", "shared"), size: 8 };
    expect((await sync(vm.vm_id, [first])).json.results[0].written).toBe(false);
    const otherPath = await sync(vm.vm_id, [{ ...first, path: "/tmp/b" }]);
    const otherSize = await sync(vm.vm_id, [{ ...first, size: 9 }]);
    for (const [response, path, size] of [
      [otherPath, "/tmp/b", 8],
      [otherSize, "/tmp/a", 9],
    ] as const) {
      expect(response.json.results[0]).toEqual({
        path,
        size,
        error: { code: "conflict", message: "upload shared was started for another path or size" },
      });
    }
  });

  it("an inline chunk under a presigned upload's id is a conflict", async () => {
    const vm = await forkUbuntu(client);
    const presigned = await sync(vm.vm_id, [{ path: "/tmp/p", size: 2, presigned: true }]);
    const uploadId = presigned.json.results[0].upload_id;
    const chunk = await sync(vm.vm_id, [inline("/tmp/p", "hi", uploadId)]);
    expect(chunk.json.results[0].error).toEqual({
      code: "conflict",
      message: `upload ${uploadId} is a presigned upload`,
    });
  });

  it("a presigned commit after other writes filled the VM is refused payload_too_large", async () => {
    const vm = await forkUbuntu(client);
    const presigned = await sync(vm.vm_id, [{ path: "/tmp/p", size: 600_000, presigned: true }]);
    const { presigned_url: url, upload_id: uploadId } = presigned.json.results[0];
    expect((await client.fetchUrl("PUT", url, new Uint8Array(600_000))).status).toBe(200);
    const filler = Buffer.alloc(600_000, 1).toString("base64");
    const filled = await sync(vm.vm_id, [
      { path: "/tmp/q", size: 600_000, upload_id: "q", content: filler, start: 0, end: 600_000 },
    ]);
    expect(filled.json.results[0].written).toBe(true);
    const commit = await sync(vm.vm_id, [{ path: "/tmp/p", size: 600_000, upload_id: uploadId }]);
    expect(commit.json.results[0]).toEqual({
      path: "/tmp/p",
      size: 600_000,
      error: {
        code: "payload_too_large",
        message: "cannot write /tmp/p: the VM would hold more than 1000000 bytes of files",
      },
    });
    expect(client.fake.files(vm.vm_id).exists("/tmp/p")).toBe(false);
  });
});

describe("presigned PUT", () => {
  const presign = async (vmId: string, size: number) =>
    (await sync(vmId, [{ path: "/tmp/p", size, presigned: true }])).json.results[0];

  it("a body over maxFileBytes is 413 payload_too_large, not a size mismatch", async () => {
    const vm = await forkUbuntu(client);
    const { presigned_url: url } = await presign(vm.vm_id, 10);
    const response = await client.fetchUrl("PUT", url, new Uint8Array(1_000_001));
    expect(response.status).toBe(413);
    expect(response.json).toEqual({
      code: "payload_too_large",
      message: "body exceeds the limit of 1000000 bytes",
    });
  });

  it("an empty file is PUT with no body and committed", async () => {
    const vm = await forkUbuntu(client);
    const { presigned_url: url, upload_id: uploadId } = await presign(vm.vm_id, 0);
    expect((await client.fetchUrl("PUT", url)).status).toBe(200);
    const commit = await sync(vm.vm_id, [{ path: "/tmp/p", size: 0, upload_id: uploadId }]);
    expect(commit.json.results[0]).toEqual({
      path: "/tmp/p",
      size: 0,
      complete: true,
      written: true,
    });
    expect(client.fake.files(vm.vm_id).read("/tmp/p")?.byteLength).toBe(0);
  });

  it("a second PUT after the commit changes nothing: the file keeps the committed bytes", async () => {
    const vm = await forkUbuntu(client);
    const { presigned_url: url, upload_id: uploadId } = await presign(vm.vm_id, 2);
    expect((await client.fetchUrl("PUT", url, Buffer.from("ab"))).status).toBe(200);
    await sync(vm.vm_id, [{ path: "/tmp/p", size: 2, upload_id: uploadId }]);
    expect((await client.fetchUrl("PUT", url, Buffer.from("zz"))).status).toBe(200);
    const again = await sync(vm.vm_id, [{ path: "/tmp/p", size: 2, upload_id: uploadId }]);
    expect(again.json.results[0]).toEqual({
      path: "/tmp/p",
      size: 2,
      complete: true,
      written: true,
    });
    expect(Buffer.from(client.fake.files(vm.vm_id).read("/tmp/p")!).toString()).toBe("ab");
  });

  it("a PUT after the VM was deleted is 404: its unfinished upload went with it", async () => {
    const vm = await forkUbuntu(client);
    const { presigned_url: url } = await presign(vm.vm_id, 2);
    expect((await client.call("DELETE", `/v1/vms/${vm.vm_id}`)).status).toBe(200);
    const response = await client.fetchUrl("PUT", url, new Uint8Array(2));
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ code: "not_found", message: "upload not found" });
  });

  it("signedUrlTokens lists the tokens handed out, oldest first, until reset", async () => {
    const vm = await forkUbuntu(client);
    const first = await presign(vm.vm_id, 1);
    const second = await presign(vm.vm_id, 2);
    const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);
    expect(client.fake.signedUrlTokens()).toEqual([
      tokenOf(first.presigned_url),
      tokenOf(second.presigned_url),
    ]);
    client.fake.reset();
    expect(client.fake.signedUrlTokens()).toEqual([]);
  });
});
