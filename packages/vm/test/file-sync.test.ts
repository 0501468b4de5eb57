import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  cleanup,
  rejection,
  type SeenRequest,
  sendJson,
  setup,
} from "../../../test-support/local-server";
import { type TransferProgress, type Vm, VmClient } from "../src/index";
import { fileStore, writeOf } from "./file-server";

afterEach(cleanup);

async function withStore(options?: Parameters<typeof fileStore>[0]) {
  const store = fileStore(options);
  const ctx = await setup(store.handle);
  store.setBase(ctx.server.url);
  const vm: Vm = new VmClient(ctx.client).vm("vm_1");
  return { ...ctx, store, vm };
}

function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const entryOf = (r: SeenRequest) =>
  (r.json as { writes: Array<Record<string, unknown>> }).writes[0] as Record<string, unknown>;

describe("write strategy", () => {
  it.each([0, 1, 1000, INLINE_FILE_LIMIT_BYTES])(
    "sends %i bytes as themselves through sync-file, with a fresh upload_id and the sha256",
    async (size) => {
      const { server, store, vm } = await withStore();
      const bytes = pattern(size);
      await vm.sync("/home/user/f.bin", bytes);
      expect(server.seen).toHaveLength(1);
      const request = server.seen[0]!;
      expect(request.method).toBe("POST");
      expect(request.url.split("?")[0]).toBe("/v1/vms/vm_1/sync-file");
      expect(request.headers["content-type"]).toBe("application/octet-stream");
      expect(request.headers["idempotency-key"]).toBeUndefined();
      expect(request.body.equals(Buffer.from(bytes))).toBe(true);
      const query = new URLSearchParams(request.url.split("?")[1]);
      expect([...query.keys()].sort()).toEqual(["path", "sha256", "size", "upload_id"]);
      expect(query.get("path")).toBe("/home/user/f.bin");
      expect(query.get("size")).toBe(String(size));
      expect(query.get("upload_id")).toMatch(/^upl_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(query.get("sha256")).toBe(sha256(bytes));
      expect(store.files.get("/home/user/f.bin")?.equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it("uses a new upload_id for each write", async () => {
    const { server, vm } = await withStore();
    await vm.writeFile("/a", "x");
    await vm.writeFile("/a", "x");
    expect(writeOf(server.seen[0]!).upload_id).not.toBe(writeOf(server.seen[1]!).upload_id);
  });

  it.each([404, 405])(
    "sends the same write as one inline JSON chunk to a server answering sync-file %i, then only JSON",
    async (status) => {
      const store = fileStore();
      const { server, vm } = await setup((req, res, index) =>
        req.url.startsWith("/v1/vms/vm_1/sync-file?")
          ? sendJson(res, status, { code: "not_found", message: "no route" })
          : store.handle(req, res, index),
      ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
      const bytes = pattern(1000);
      await vm.writeFile("/home/user/f.bin", bytes);
      await vm.writeFile("/home/user/g.bin", "second");
      expect(server.seen.map((r) => r.url.split("?")[0])).toEqual([
        "/v1/vms/vm_1/sync-file",
        "/v1/vms/vm_1/sync",
        "/v1/vms/vm_1/sync",
      ]);
      const [raw, json] = [writeOf(server.seen[0]!), entryOf(server.seen[1]!)];
      expect(json).toMatchObject({ path: "/home/user/f.bin", size: 1000, start: 0, end: 1000 });
      expect(json.upload_id).toBe(raw.upload_id);
      expect(json.sha256).toBe(sha256(bytes));
      expect(Buffer.from(String(json.content), "base64").equals(Buffer.from(bytes))).toBe(true);
      expect(store.files.get("/home/user/f.bin")?.equals(Buffer.from(bytes))).toBe(true);
      expect(store.files.get("/home/user/g.bin")?.toString()).toBe("second");
    },
  );

  it("a VM that is not there fails with the 404, and the next write still goes raw", async () => {
    const { server, vm } = await setup((req, res) =>
      req.url.startsWith("/v1/vms/vm_2/")
        ? sendJson(res, 404, { code: "not_found", message: "vm not found: vm_2" })
        : fileStore().handle(req, res, 0),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_2") }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect([error.code, error.status, error.message]).toEqual([
      "not_found",
      404,
      "not_found: vm not found: vm_2",
    ]);
    expect(error.idempotencyKey).toBe(writeOf(server.seen[0]!).upload_id);
    expect(writeOf(server.seen[1]!).upload_id).toBe(writeOf(server.seen[0]!).upload_id);
    await rejection(vm.writeFile("/f", "x"));
    expect(server.seen.map((r) => r.url.split("?")[0])).toEqual([
      "/v1/vms/vm_2/sync-file",
      "/v1/vms/vm_2/sync",
      "/v1/vms/vm_2/sync-file",
      "/v1/vms/vm_2/sync",
    ]);
  });

  it("a refusal of sync-file other than 404 or 405 is the error: no JSON resend", async () => {
    const { server, vm } = await setup((_req, res) =>
      sendJson(res, 409, { code: "conflict", message: "vm is failed" }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect([error.code, error.status]).toEqual(["conflict", 409]);
    expect(server.seen).toHaveLength(1);
  });

  it("sends 4 MiB + 1 through presign, a PUT without auth, and a commit", async () => {
    const { server, store, vm } = await withStore();
    const bytes = pattern(INLINE_FILE_LIMIT_BYTES + 1);
    const progress: TransferProgress[] = [];
    await vm.writeFile("/data/big.bin", bytes, { onProgress: (p) => progress.push(p) });
    expect(server.seen.map((r) => `${r.method} ${r.url.replace(/upl_\d+/, "ID")}`)).toEqual([
      "POST /v1/vms/vm_1/sync",
      "PUT /signed/put/ID",
      "POST /v1/vms/vm_1/sync",
    ]);
    const [presign, put, commit] = server.seen as [SeenRequest, SeenRequest, SeenRequest];
    const digest = sha256(bytes);
    expect(entryOf(presign)).toEqual({
      path: "/data/big.bin",
      size: bytes.byteLength,
      presigned: true,
      sha256: digest,
    });
    expect(put.headers.authorization).toBeUndefined();
    // No content-type: the real client sends none, a signed URL may not sign one (issue 11, item 12).
    expect(put.headers["content-type"]).toBeUndefined();
    expect(put.headers["content-length"]).toBe(String(bytes.byteLength));
    expect(put.body.equals(Buffer.from(bytes))).toBe(true);
    expect(entryOf(commit)).toEqual({
      path: "/data/big.bin",
      size: bytes.byteLength,
      upload_id: "upl_0",
      sha256: digest,
    });
    expect(presign.headers["idempotency-key"]).toBeUndefined();
    expect(commit.headers["idempotency-key"]).toBeUndefined();
    expect(store.files.get("/data/big.bin")?.equals(Buffer.from(bytes))).toBe(true);
    expect(progress.at(-1)).toEqual({
      transferredBytes: bytes.byteLength,
      totalBytes: bytes.byteLength,
    });
    expect(progress.length).toBeGreaterThan(1);
  });

  it("does not pre-reject files over 100 MiB: the server's 413 reaches the caller", async () => {
    const { server, vm } = await setup((_req, res) =>
      sendJson(res, 413, { code: "payload_too_large", message: "file exceeds 104857600 bytes" }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const bytes = new Uint8Array(100 * 1024 * 1024 + 1);
    const error = await rejection(vm.writeFile("/big", bytes));
    expect(error.code).toBe("payload_too_large");
    expect(error.status).toBe(413);
    expect(entryOf(server.seen[0]!)).toMatchObject({ presigned: true, size: bytes.byteLength });
  });

  it("rejects with aborted when the signal fires while a ReadableStream is stalled, and cancels it", async () => {
    const { server, vm } = await withStore();
    const controller = new AbortController();
    let cancelled: unknown;
    const stalled = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new Uint8Array([1]));
      },
      pull: () => new Promise<void>(() => {}),
      cancel(reason) {
        cancelled = reason;
      },
    });
    const writing = vm.writeFile("/f", stalled, { signal: controller.signal });
    setTimeout(() => controller.abort("stop"), 10);
    const error = await rejection(writing);
    expect([error.code, error.status]).toEqual(["aborted", 0]);
    expect(cancelled).toBe("stop");
    expect(server.seen).toHaveLength(0);
  });

  it("rejects with aborted when the signal fires while an AsyncIterable is stalled", async () => {
    const { server, vm } = await withStore();
    const controller = new AbortController();
    const stalled = (async function* () {
      yield new Uint8Array([1]);
      await new Promise<never>(() => {});
    })();
    const writing = vm.writeFile("/f", stalled, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await rejection(writing);
    expect(error.code).toBe("aborted");
    expect(server.seen).toHaveLength(0);
  });

  it.each([
    ["string (UTF-8)", () => "héllo ✓\n", Buffer.from("héllo ✓\n", "utf8")],
    ["Blob", () => new Blob(["ab", new Uint8Array([0, 255])]), Buffer.from([97, 98, 0, 255])],
    [
      "ReadableStream",
      () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array([1, 2]));
            controller.enqueue(new Uint8Array([3]));
            controller.close();
          },
        }),
      Buffer.from([1, 2, 3]),
    ],
    [
      "AsyncIterable",
      () =>
        (async function* () {
          yield new Uint8Array([9]);
          yield new Uint8Array([8, 7]);
        })(),
      Buffer.from([9, 8, 7]),
    ],
    [
      "Node Readable",
      () => Readable.from([Buffer.from("no"), Buffer.from("de")]),
      Buffer.from("node"),
    ],
    ["Buffer", () => Buffer.from("buf"), Buffer.from("buf")],
    ["ArrayBuffer", () => Uint8Array.from([5, 6]).buffer, Buffer.from([5, 6])],
    ["Uint16Array view", () => new Uint16Array([0x0201, 0x0403]).subarray(1), Buffer.from([3, 4])],
    ["DataView", () => new DataView(Uint8Array.from([1, 2, 3]).buffer, 1, 2), Buffer.from([2, 3])],
  ])("writes a %s", async (_label, make, expected) => {
    const { server, store, vm } = await withStore();
    await vm.sync("/f", make() as never);
    expect(store.files.get("/f")?.equals(expected)).toBe(true);
    expect(writeOf(server.seen[0]!).sha256).toBe(sha256(expected));
    expect(writeOf(server.seen[0]!).size).toBe(expected.byteLength);
  });

  it("collects a stream over 4 MiB and sends it presigned", async () => {
    const { store, vm } = await withStore();
    const bytes = pattern(INLINE_FILE_LIMIT_BYTES + 100);
    const chunks = async function* () {
      for (let i = 0; i < bytes.byteLength; i += 65_536) yield bytes.slice(i, i + 65_536);
    };
    await vm.writeFile("/s", chunks());
    expect(store.files.get("/s")?.equals(Buffer.from(bytes))).toBe(true);
  });

  it("rejects stream chunks that are not bytes before any request", async () => {
    const { server, vm } = await withStore();
    const strings = (async function* () {
      yield "text";
    })();
    const error = await rejection(vm.writeFile("/f", strings as never));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
    expect((await rejection(vm.writeFile("/f", 42 as never))).code).toBe("bad_request");
  });

  it("turns a per-entry error inside a 200 into an ArkerError with its status", async () => {
    const { vm } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [
          { path: "/f", size: 1, error: { code: "forbidden", message: "read-only mount" } },
        ],
      }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect(error.code).toBe("forbidden");
    expect(error.status).toBe(403);
    expect(error.message).toBe("forbidden: read-only mount");
    expect(error.requestId).toBe("req_200");
  });

  it("maps a bad_request entry error (sha256 mismatch) to status 400", async () => {
    const { vm } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [
          { path: "/f", size: 1, error: { code: "bad_request", message: "sha256 mismatch" } },
        ],
      }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
  });

  it("fails when the final result is not written", async () => {
    const { vm } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [{ path: "/f", size: 1, received_bytes: 1, complete: true, written: false }],
      }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("did not complete");
  });

  it("retries an inline write after a 503 with the same upload_id", async () => {
    const store = fileStore();
    const ctx = await setup((req, res, index) =>
      index === 0
        ? sendJson(res, 503, { code: "unavailable", message: "x" })
        : store.handle(req, res, index),
    );
    await new VmClient(ctx.client).vm("vm_1").writeFile("/r", "retry me");
    expect(ctx.server.seen).toHaveLength(2);
    expect(writeOf(ctx.server.seen[0]!).upload_id).toBe(writeOf(ctx.server.seen[1]!).upload_id);
    expect(store.files.get("/r")?.toString()).toBe("retry me");
  });
});

describe("read", () => {
  it.each(["utf8", "base64"] as const)(
    "decodes an inline %s answer to bytes",
    async (readEncoding) => {
      const { server, store, vm } = await withStore({ readEncoding });
      store.files.set("/home/user/t.txt", Buffer.from("héllo\n"));
      const progress: TransferProgress[] = [];
      const bytes = await vm.readFile("/home/user/t.txt", { onProgress: (p) => progress.push(p) });
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(bytes)).toBe("héllo\n");
      expect(server.seen[0]!.json).toEqual({ op: "read", path: "/home/user/t.txt" });
      expect(server.seen[0]!.headers["idempotency-key"]).toBeUndefined();
      expect(progress).toEqual([{ transferredBytes: 7, totalBytes: 7 }]);
    },
  );

  it("asks for raw bytes and takes a JSON answer from a server that ignores that", async () => {
    const { server, store, vm } = await withStore();
    store.files.set("/j.bin", Buffer.from(pattern(300)));
    const bytes = await vm.readFile("/j.bin");
    expect(Buffer.from(bytes).equals(Buffer.from(pattern(300)))).toBe(true);
    expect(server.seen[0]!.headers.accept).toBe("application/octet-stream, application/json;q=0.9");
  });

  it.each([0, 1, 300, INLINE_FILE_LIMIT_BYTES])(
    "takes a raw-bytes answer of %i bytes as the file, with one progress call",
    async (size) => {
      const { server, store, vm } = await withStore({ rawReads: true });
      const content = pattern(size);
      store.files.set("/r.bin", Buffer.from(content));
      const progress: TransferProgress[] = [];
      const bytes = await vm.readFile("/r.bin", { onProgress: (p) => progress.push(p) });
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(content))).toBe(true);
      expect(server.seen).toHaveLength(1);
      expect(progress).toEqual([{ transferredBytes: size, totalBytes: size }]);
    },
  );

  it("a raw-bytes server still answers a missing file with a JSON error", async () => {
    const { vm } = await withStore({ rawReads: true });
    const error = await rejection(vm.readFile("/nope"));
    expect(error.code).toBe("not_found");
    expect(error.message).toBe("not_found: file not found: /nope");
  });

  it("a write does not ask for raw bytes", async () => {
    const { server, vm } = await withStore({ rawReads: true });
    await vm.writeFile("/w", "x");
    expect(server.seen[0]!.headers.accept).toBe("application/json");
  });

  it("reads a 0-byte file as an empty Uint8Array", async () => {
    const { store, vm } = await withStore();
    store.files.set("/empty", Buffer.alloc(0));
    const bytes = await vm.sync("/empty");
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteLength).toBe(0);
  });

  it("fetches a presigned read without the auth header", async () => {
    const { server, store, vm } = await withStore({ inlineReadLimit: 10 });
    const content = pattern(5000);
    store.files.set("/big", Buffer.from(content));
    const progress: TransferProgress[] = [];
    const bytes = await vm.readFile("/big", { onProgress: (p) => progress.push(p) });
    expect(Buffer.from(bytes).equals(Buffer.from(content))).toBe(true);
    expect(server.seen[1]!.method).toBe("GET");
    expect(server.seen[1]!.url).toBe("/signed/get/%2Fbig");
    expect(server.seen[1]!.headers.authorization).toBeUndefined();
    expect(progress.at(-1)).toEqual({ transferredBytes: 5000, totalBytes: 5000 });
  });

  it("surfaces a missing file as not_found with the request id", async () => {
    const { vm } = await withStore();
    const error = await rejection(vm.sync("/nope"));
    expect(error.code).toBe("not_found");
    expect(error.status).toBe(404);
    expect(error.message).toBe("not_found: file not found: /nope");
    expect(error.requestId).toBe("req_404");
  });

  it("rejects an inline answer whose size does not match its content", async () => {
    const { vm } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "read",
        path: "/f",
        size: 3,
        content: "ab",
        encoding: "utf8",
      }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    expect((await rejection(vm.sync("/f"))).code).toBe("internal");
  });

  it("rejects an unknown read answer", async () => {
    const { vm } = await setup((_req, res) =>
      sendJson(res, 200, { ok: true, op: "read", size: 1 }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.sync("/f"));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("unrecognized read response shape");
  });
});

describe("unusable signed-URL answers are internal errors, never a TypeError or a retry", () => {
  it.each([
    ["a presigned_url that is not a URL", { size: 5, presigned_url: "vm_1" }],
    ["a presigned_url that is not http(s)", { size: 5, presigned_url: "ftp://files.invalid/x" }],
    ["a negative size", { size: -1, presigned_url: "http://files.invalid/x" }],
    ["a size that is not an integer", { size: 1.5, presigned_url: "http://files.invalid/x" }],
    ["a size past 2^53", { size: 1e308, presigned_url: "http://files.invalid/x" }],
  ])("a read answer with %s", async (_label, answer) => {
    const { server, vm } = await setup((_req, res) =>
      sendJson(res, 200, { ok: true, op: "read", path: "/f", ...answer }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.sync("/f"));
    expect([error.code, error.status, error.retryable]).toEqual(["internal", 200, false]);
    expect(server.seen).toHaveLength(1);
  });

  it("a presign answer whose presigned_url is not a URL", async () => {
    const { server, vm } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [{ path: "/f", presigned_url: "not a url", upload_id: "upl_1", complete: false }],
      }),
    ).then((ctx) => ({ ...ctx, vm: new VmClient(ctx.client).vm("vm_1") }));
    const error = await rejection(vm.sync("/f", new Uint8Array(INLINE_FILE_LIMIT_BYTES + 1)));
    expect([error.code, error.status, error.retryable]).toEqual(["internal", 200, false]);
    expect(server.seen).toHaveLength(1);
  });
});

describe("path validation", () => {
  const bad: Array<[string, unknown]> = [
    ["relative", "home/user/x"],
    ["empty", ""],
    ["a .. segment", "/home/user/../etc/passwd"],
    ["a trailing ..", "/home/.."],
    ["a NUL byte", "/home/user/a\0b"],
    ["over 4096 bytes", `/${"a".repeat(4096)}`],
    ["over 4096 UTF-8 bytes in fewer characters", `/${"é".repeat(2048)}`],
    ["not a string", 7],
  ];
  it.each(bad)(
    "rejects a path that is %s on read, write and mount, sending nothing",
    async (_l, path) => {
      const { server, vm } = await withStore();
      for (const call of [
        () => vm.sync(path as string),
        () => vm.sync(path as string, "x"),
        () => vm.readFile(path as string),
        () => vm.writeFile(path as string, new Uint8Array(1)),
        () => vm.createSync({ filesystemId: "fs_1", path: path as string }),
      ]) {
        const error = await rejection(call());
        expect(error.code).toBe("bad_request");
        expect(error.status).toBe(400);
      }
      expect(server.seen).toHaveLength(0);
    },
  );

  it.each([
    ["/"],
    ["/home/user/a..b"],
    ["/home/user/.hidden"],
    [`/${"a".repeat(4095)}`],
    ["/x/./y"],
  ])("accepts %s", async (path) => {
    const { server, vm } = await withStore();
    await vm.writeFile(path, "ok");
    expect(server.seen).toHaveLength(1);
  });
});
