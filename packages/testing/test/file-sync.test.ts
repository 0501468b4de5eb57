// Proves FileSync's own rules (entry parsing, chunk assembly, commits, digests, signed URLs) as a unit, without a door.
import { createHash } from "node:crypto";
import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core/contract";
import { describe, expect, it } from "vitest";
import { FileSync } from "../src/engine/file-sync.js";
import { CowTree } from "../src/files/cow-tree.js";
import { VmFileSystem } from "../src/files/vm-filesystem.js";
import { FileStore } from "../src/stores/file-store.js";
import type { VmRecord } from "../src/stores/records.js";
import { EngineClock } from "../src/support/clock.js";
import { IdFactory } from "../src/support/ids.js";
import { resolveOptions } from "../src/support/options.js";
import { SeededRandom } from "../src/support/random.js";

const ORIGIN = "http://fake.test";
const sha = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const b64 = (text: string) => Buffer.from(text).toString("base64");

/** A FileSync over one VM's fresh tree, clock at 1000, with small limits. */
function setup(limits: { maxFileBytes?: number; maxVmBytes?: number } = {}) {
  const clock = new EngineClock(1000);
  const options = resolveOptions({
    maxFileBytes: limits.maxFileBytes ?? 100,
    maxVmBytes: limits.maxVmBytes ?? 1000,
    presignedUrlTtlSeconds: 60,
  });
  const store = new FileStore();
  const vm = { id: "vm_1" } as VmRecord;
  const files = new VmFileSystem(
    new CowTree(),
    () => [],
    () => clock.now(),
    options.maxVmBytes,
  );
  const sync = new FileSync({
    files: store,
    ids: new IdFactory(new SeededRandom(1), () => clock.now()),
    clock,
    options,
    filesystemOf: () => files,
  });
  const write = (...entries: unknown[]) => sync.write(vm, entries, ORIGIN).results;
  const one = (entry: unknown) => write(entry)[0] as unknown as Record<string, unknown>;
  const text = (path: string) => {
    const bytes = files.readBytes(path);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString();
  };
  const tokenOf = (url: unknown) => String(url).slice(String(url).lastIndexOf("/") + 1);
  return { clock, store, vm, files, sync, write, one, text, tokenOf };
}

/** An inline chunk of `size` bytes carrying `content` at `start`. */
const chunk = (path: string, size: number, start: number, content: string, extra = {}) => ({
  path,
  size,
  upload_id: `u-${path}`,
  content: b64(content),
  start,
  end: start + Buffer.byteLength(content),
  ...extra,
});

/** What a call throws: its code and message. */
function thrown(call: () => unknown): { code: unknown; message: string } {
  try {
    call();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error("did not throw");
}

describe("FileSync entry parsing", () => {
  it("refuses writes that are not an array", () => {
    const { sync, vm } = setup();
    expect(thrown(() => sync.write(vm, { path: "/a" }, ORIGIN))).toEqual({
      code: "bad_request",
      message: "writes must be an array",
    });
  });

  it("takes a null sha256, presigned or content as absent", () => {
    const { write, text } = setup();
    const [inline, commitLike] = write(chunk("/a", 2, 0, "hi", { sha256: null, presigned: null }), {
      path: "/b",
      size: 1,
      upload_id: "none",
      content: null,
    });
    expect(inline).toMatchObject({ written: true });
    expect(text("/a")).toBe("hi");
    expect(commitLike).toEqual({
      path: "/b",
      size: 1,
      error: { code: "not_found", message: "upload not found: none" },
    });
  });

  it("refuses an upload_id set to null without content", () => {
    const { sync, vm } = setup();
    expect(
      thrown(() => sync.write(vm, [{ path: "/a", size: 1, upload_id: null }], ORIGIN)),
    ).toEqual({
      code: "bad_request",
      message: "a write entry needs content (inline chunk), presigned: true, or upload_id (commit)",
    });
  });

  it("refuses a sha256 of 63 or 65 characters or with a non-hex one, and an upload_id that is no string", () => {
    const { sync, vm } = setup();
    const message = (entry: unknown) => thrown(() => sync.write(vm, [entry], ORIGIN)).message;
    for (const sha256 of ["a".repeat(63), "a".repeat(65), `${"a".repeat(63)}g`, 5]) {
      expect(message({ path: "/a", size: 1, presigned: true, sha256 })).toBe(
        "sha256 must be 64 hex characters",
      );
    }
    expect(message({ ...chunk("/a", 1, 0, "x"), upload_id: 5 })).toBe(
      "upload_id must be a non-empty string of at most 128 characters",
    );
    for (const [field, value] of [
      ["size", 1.5],
      ["size", "1"],
      ["start", -1],
      ["end", Number.MAX_SAFE_INTEGER + 1],
    ] as const) {
      expect(message({ ...chunk("/a", 1, 0, "x"), [field]: value })).toBe(
        `${field} must be an integer ≥ 0`,
      );
    }
  });

  it("accepts a file of exactly maxFileBytes and refuses one byte more with 413", () => {
    const { sync, vm, one } = setup({ maxFileBytes: 4 });
    expect(one(chunk("/a", 4, 0, "abcd"))).toMatchObject({ written: true });
    expect(thrown(() => sync.write(vm, [chunk("/b", 5, 0, "abcde")], ORIGIN))).toEqual({
      code: "payload_too_large",
      message: "file of 5 bytes exceeds the limit of 4 bytes: /b",
    });
  });

  it("takes an upper-case sha256 as its lower-case digest", () => {
    const { one, text } = setup();
    const upper = sha("hi").toUpperCase();
    expect(one(chunk("/a", 2, 0, "hi", { sha256: upper }))).toMatchObject({ written: true });
    expect(text("/a")).toBe("hi");
  });
});

describe("FileSync inline chunks", () => {
  it("refuses a range that starts after its end with the range in the message", () => {
    const { one } = setup();
    expect(one({ ...chunk("/a", 5, 0, ""), start: 3, end: 1 })).toEqual({
      path: "/a",
      size: 5,
      error: { code: "bad_request", message: "range [3, 1) is outside a file of 5 bytes" },
    });
    expect(one({ ...chunk("/a", 5, 0, "abc"), start: 3, end: 6 })).toMatchObject({
      error: { message: "range [3, 6) is outside a file of 5 bytes" },
    });
  });

  it("refuses content of the wrong length, naming the range's length", () => {
    const { one } = setup();
    expect(one({ ...chunk("/a", 5, 1, "x"), end: 4 })).toEqual({
      path: "/a",
      size: 5,
      error: {
        code: "bad_request",
        message: "content holds 1 bytes but the range [1, 4) needs 3",
      },
    });
  });

  it("keeps an empty chunk out of the received ranges", () => {
    const { one } = setup();
    expect(one(chunk("/a", 5, 2, ""))).toEqual({
      path: "/a",
      size: 5,
      received_bytes: 0,
      ranges: [],
      complete: false,
      written: false,
    });
  });

  it("merges a chunk inside a received range, overlapping and separate ones", () => {
    const { one, text } = setup();
    expect(one(chunk("/a", 10, 0, "abcdef"))).toMatchObject({ received_bytes: 6 });
    expect(one(chunk("/a", 10, 2, "CD"))).toMatchObject({
      received_bytes: 6,
      ranges: [{ start: 0, end: 6 }],
    });
    expect(one(chunk("/a", 10, 8, "ij"))).toMatchObject({
      received_bytes: 8,
      ranges: [
        { start: 0, end: 6 },
        { start: 8, end: 10 },
      ],
      complete: false,
    });
    expect(one(chunk("/a", 10, 5, "FGH"))).toEqual({
      path: "/a",
      size: 10,
      received_bytes: 10,
      ranges: [{ start: 0, end: 10 }],
      complete: true,
      written: true,
    });
    expect(text("/a")).toBe("abCDeFGHij");
  });

  it("joins touching ranges and keeps ranges in numeric order", () => {
    const { one } = setup();
    one(chunk("/a", 12, 10, "kl"));
    expect(one(chunk("/a", 12, 2, "cd"))).toMatchObject({
      ranges: [
        { start: 2, end: 4 },
        { start: 10, end: 12 },
      ],
    });
    expect(one(chunk("/a", 12, 4, "ef"))).toMatchObject({
      received_bytes: 6,
      ranges: [
        { start: 2, end: 6 },
        { start: 10, end: 12 },
      ],
    });
  });

  it("checks a digest given by an earlier chunk, not only by the last one", () => {
    const { one, files } = setup();
    one(chunk("/a", 4, 0, "ab", { sha256: "0".repeat(64) }));
    expect(one(chunk("/a", 4, 2, "cd"))).toEqual({
      path: "/a",
      size: 4,
      error: { code: "bad_request", message: `sha256 mismatch for /a: received ${sha("abcd")}` },
    });
    expect(files.readBytes("/a")).toBeUndefined();
  });

  it("after a digest mismatch starts the upload over, without the old digest", () => {
    const { one, text } = setup();
    one(chunk("/a", 4, 0, "ab", { sha256: "0".repeat(64) }));
    one(chunk("/a", 4, 2, "cd"));
    expect(one(chunk("/a", 4, 2, "cd"))).toMatchObject({
      received_bytes: 2,
      ranges: [{ start: 2, end: 4 }],
      written: false,
    });
    expect(one(chunk("/a", 4, 0, "AB"))).toMatchObject({ written: true });
    expect(text("/a")).toBe("ABcd");
  });

  it("replays a written upload's chunk as complete without writing, and drops its buffer", () => {
    const { one, store, vm, files } = setup();
    one(chunk("/a", 2, 0, "hi"));
    const upload = store.upload(vm.id, "u-/a");
    expect(upload).toMatchObject({ written: true, buffer: undefined });
    files.storeFile("/a", new Uint8Array([1]));
    expect(one(chunk("/a", 2, 0, "zz"))).toEqual({
      path: "/a",
      size: 2,
      received_bytes: 2,
      ranges: [{ start: 0, end: 2 }],
      complete: true,
      written: true,
    });
    expect(files.readBytes("/a")).toEqual(new Uint8Array([1]));
  });

  it("reports a write the tree refuses as bad_request with the filesystem's reason", () => {
    const { one, files } = setup();
    files.storeFile("/f", new Uint8Array(0));
    expect(one(chunk("/f/x", 1, 0, "x"))).toEqual({
      path: "/f/x",
      size: 1,
      error: {
        code: "bad_request",
        message: "cannot write /f/x: ENOTDIR: not a directory, open '/f/x'",
      },
    });
  });
});

describe("FileSync room", () => {
  it("refuses an entry that cannot fit the VM before any byte, naming the cap", () => {
    const { one } = setup({ maxVmBytes: 4 });
    expect(one({ path: "/a", size: 5, presigned: true })).toEqual({
      path: "/a",
      size: 5,
      error: {
        code: "payload_too_large",
        message: "cannot write /a: the VM would hold more than 4 bytes of files",
      },
    });
  });

  it("replays the commit of a written upload even once the VM is full", () => {
    const { one, files, sync, tokenOf } = setup({ maxVmBytes: 4 });
    const presigned = one({ path: "/a", size: 2, presigned: true });
    sync.writeBlob(tokenOf(presigned.presigned_url), new Uint8Array(2));
    const commit = { path: "/a", size: 2, upload_id: presigned.upload_id };
    expect(one(commit)).toMatchObject({ written: true });
    files.storeFile("/a", new Uint8Array(0));
    files.storeFile("/b", new Uint8Array(4));
    expect(one(commit)).toEqual({ path: "/a", size: 2, complete: true, written: true });
  });
  it("answers payload_too_large when the VM filled up between presign and commit", () => {
    const { one, sync, tokenOf, files } = setup({ maxVmBytes: 4 });
    const presigned = one({ path: "/a", size: 2, presigned: true });
    sync.writeBlob(tokenOf(presigned.presigned_url), Buffer.from("hi"));
    expect(one(chunk("/b", 3, 0, "abc"))).toMatchObject({ written: true });
    expect(one({ path: "/a", size: 2, upload_id: presigned.upload_id })).toEqual({
      path: "/a",
      size: 2,
      error: {
        code: "payload_too_large",
        message: "cannot write /a: the VM would hold more than 4 bytes of files",
      },
    });
    expect(files.readBytes("/a")).toBeUndefined();
  });
});

describe("FileSync presigned uploads and commits", () => {
  it("answers a presign with its URL, upload id, lifetime and method", () => {
    const { one, store } = setup();
    const result = one({ path: "/a", size: 3, presigned: true });
    const token = store.tokens()[0];
    expect(result).toEqual({
      path: "/a",
      size: 3,
      presigned_url: `${ORIGIN}/_fake/blobs/${token}`,
      upload_id: expect.stringMatching(/^upl_/),
      expires_in: 60,
      method: "PUT",
      complete: false,
      written: false,
    });
    expect(store.grantOf(token!)).toMatchObject({ method: "PUT", expiresAt: 61_000 });
  });

  it("refuses to commit an inline upload that has not received every byte", () => {
    const { one } = setup();
    one(chunk("/a", 4, 0, "ab"));
    expect(one({ path: "/a", size: 4, upload_id: "u-/a" })).toEqual({
      path: "/a",
      size: 4,
      error: { code: "bad_request", message: "upload u-/a has not received its 4 bytes" },
    });
  });

  it("refuses to commit an empty presigned upload whose PUT never came", () => {
    const { one, files } = setup();
    const presigned = one({ path: "/a", size: 0, presigned: true });
    expect(one({ path: "/a", size: 0, upload_id: presigned.upload_id })).toEqual({
      path: "/a",
      size: 0,
      error: {
        code: "bad_request",
        message: `upload ${presigned.upload_id} has not received its 0 bytes`,
      },
    });
    expect(files.readBytes("/a")).toBeUndefined();
  });

  it("checks a presign's digest at a commit that gives none, and keeps the bytes for a retry", () => {
    const { one, sync, tokenOf, text } = setup();
    const presigned = one({ path: "/a", size: 2, presigned: true, sha256: "0".repeat(64) });
    sync.writeBlob(tokenOf(presigned.presigned_url), Buffer.from("hi"));
    const commit = { path: "/a", size: 2, upload_id: presigned.upload_id };
    expect(one(commit)).toMatchObject({
      error: { code: "bad_request", message: `sha256 mismatch for /a: received ${sha("hi")}` },
    });
    // The wrong digest is forgotten and the received body kept: a plain commit now writes.
    expect(one(commit)).toEqual({ path: "/a", size: 2, complete: true, written: true });
    expect(text("/a")).toBe("hi");
  });

  it("a PUT of exactly maxFileBytes is taken; a wrong length is refused with both sizes", () => {
    const { one, sync, tokenOf } = setup({ maxFileBytes: 4 });
    const presigned = one({ path: "/a", size: 4, presigned: true });
    const token = tokenOf(presigned.presigned_url);
    expect(thrown(() => sync.writeBlob(token, new Uint8Array(3)))).toEqual({
      code: "bad_request",
      message: "expected 4 bytes, received 3",
    });
    sync.writeBlob(token, Buffer.from("abcd"));
    expect(one({ path: "/a", size: 4, upload_id: presigned.upload_id })).toMatchObject({
      written: true,
    });
  });

  it("a PUT after the commit leaves the upload as committed", () => {
    const { one, sync, tokenOf, store, vm } = setup();
    const presigned = one({ path: "/a", size: 2, presigned: true });
    const token = tokenOf(presigned.presigned_url);
    sync.writeBlob(token, Buffer.from("hi"));
    one({ path: "/a", size: 2, upload_id: presigned.upload_id });
    sync.writeBlob(token, Buffer.from("zz"));
    expect(store.upload(vm.id, String(presigned.upload_id))).toMatchObject({
      written: true,
      buffer: undefined,
    });
  });
});

describe("FileSync reads and signed URLs", () => {
  it("reads a file inline, raw when asked, and refuses a directory or a missing path", () => {
    const { sync, vm, files } = setup();
    files.storeFile("/d/f", Buffer.from("hi"));
    expect(sync.read(vm, "/d/f", ORIGIN)).toEqual({
      ok: true,
      op: "read",
      path: "/d/f",
      size: 2,
      content: "hi",
      encoding: "utf8",
    });
    expect(sync.read(vm, "/d/f", ORIGIN, true)).toBe(files.readBytes("/d/f"));
    expect(thrown(() => sync.read(vm, "/d", ORIGIN))).toEqual({
      code: "bad_request",
      message: "is a directory: /d",
    });
    expect(thrown(() => sync.read(vm, "/none", ORIGIN))).toEqual({
      code: "not_found",
      message: "file not found: /none",
    });
  });

  it("answers a file of exactly the inline limit inline", () => {
    const { sync, vm, files } = setup({ maxVmBytes: INLINE_FILE_LIMIT_BYTES });
    files.storeFile("/f", new Uint8Array(INLINE_FILE_LIMIT_BYTES));
    expect(sync.read(vm, "/f", ORIGIN, true) === files.readBytes("/f")).toBe(true);
  });

  it("signs a GET above the inline limit, served until just before it expires", async () => {
    const { clock, sync, vm, files, tokenOf } = setup({ maxVmBytes: 2 * INLINE_FILE_LIMIT_BYTES });
    const content = new Uint8Array(INLINE_FILE_LIMIT_BYTES + 1).fill(7);
    files.storeFile("/big", content);
    const answer = sync.read(vm, "/big", ORIGIN, true) as unknown as Record<string, unknown>;
    const token = tokenOf(answer.presigned_url);
    expect(answer).toEqual({
      ok: true,
      op: "read",
      path: "/big",
      size: INLINE_FILE_LIMIT_BYTES + 1,
      presigned_url: `${ORIGIN}/_fake/blobs/${token}`,
      expires_in: 60,
      method: "GET",
    });
    await clock.advance(59_999);
    expect(sync.readBlob(token) === files.readBytes("/big")).toBe(true);
    await clock.advance(1);
    expect(thrown(() => sync.readBlob(token))).toEqual({
      code: "forbidden",
      message: "signed URL expired",
    });
  });

  it("refuses an unknown token and a token used with the other method", () => {
    const { sync, one, tokenOf } = setup();
    expect(thrown(() => sync.readBlob("nope"))).toEqual({
      code: "not_found",
      message: "no such signed URL",
    });
    const put = tokenOf(one({ path: "/a", size: 1, presigned: true }).presigned_url);
    expect(thrown(() => sync.readBlob(put))).toEqual({
      code: "forbidden",
      message: "this URL is signed for PUT",
    });
    expect(thrown(() => sync.writeBlob("nope", null))).toMatchObject({ code: "not_found" });
  });
});
