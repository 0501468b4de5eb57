import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { FilesystemsClient } from "../src/index";

afterEach(cleanup);

const fs1 = {
  filesystem_id: "fs_1",
  name: "datasets",
  owner_org_id: "org_1",
  created_at: "2026-01-01T00:00:00Z",
  size_bytes: 0,
};

async function client(answer: (method: string, url: string) => unknown) {
  const ctx = await setup((req, res) => sendJson(res, 200, answer(req.method, req.url)));
  return { ...ctx, filesystems: new FilesystemsClient(ctx.client) };
}

describe("FilesystemsClient", () => {
  it("creates, lists, gets and deletes on the wire", async () => {
    const { server, filesystems } = await client((method, url) =>
      method === "GET" && url.startsWith("/v1/filesystems?")
        ? { filesystems: [fs1], next_cursor: null }
        : method === "DELETE"
          ? { deleted: true }
          : fs1,
    );
    expect(await filesystems.createFilesystem({ name: "datasets" })).toEqual(fs1);
    const page = await filesystems.listFilesystems({ namePrefix: "data", limit: 10, cursor: "c" });
    expect(page.items).toEqual([fs1]);
    expect(page.hasNextPage()).toBe(false);
    expect(await filesystems.getFilesystem("fs_1")).toEqual(fs1);
    await expect(filesystems.deleteFilesystem("fs_1")).resolves.toBeUndefined();
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/filesystems",
      "GET /v1/filesystems?name_prefix=data&limit=10&cursor=c",
      "GET /v1/filesystems/fs_1",
      "DELETE /v1/filesystems/fs_1",
    ]);
    expect(server.seen[0]!.json).toEqual({ name: "datasets" });
    expect(server.seen[0]!.headers["idempotency-key"]).toBeTruthy();
  });

  it("walks every page with for await", async () => {
    const { filesystems } = await client((_method, url) =>
      url.includes("cursor=p2")
        ? { filesystems: [{ ...fs1, filesystem_id: "fs_2" }], next_cursor: null }
        : { filesystems: [fs1], next_cursor: "p2" },
    );
    const ids: string[] = [];
    for await (const fs of await filesystems.listFilesystems()) ids.push(fs.filesystem_id);
    expect(ids).toEqual(["fs_1", "fs_2"]);
  });

  it("encodes ids as one path segment", async () => {
    const { server, filesystems } = await client(() => fs1);
    await filesystems.getFilesystem("fs_a/../b");
    expect(server.seen[0]!.url).toBe("/v1/filesystems/fs_a%2F..%2Fb");
  });

  it("rejects bad arguments before any request", async () => {
    const { server, filesystems } = await client(() => fs1);
    for (const call of [
      () => filesystems.createFilesystem({ name: "" }),
      () => filesystems.createFilesystem(undefined as never),
      () => filesystems.getFilesystem(""),
      () => filesystems.deleteFilesystem("  "),
      () => filesystems.listFilesystems({ limit: 0 }),
      () => filesystems.listFilesystems({ limit: 1001 }),
      () => filesystems.listFilesystems({ namePrefix: 3 as never }),
    ]) {
      const error = await rejection(call());
      expect(error.code).toBe("bad_request");
      expect(error.status).toBe(400);
    }
    expect(server.seen).toHaveLength(0);
  });

  it("names the bad argument in each refusal", async () => {
    const { server, filesystems } = await client(() => fs1);
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => filesystems.createFilesystem(null as never), /createFilesystem needs \{ name \}/],
      [() => filesystems.createFilesystem(undefined as never), /createFilesystem needs \{ name \}/],
      [() => filesystems.createFilesystem({ name: "" }), /\bname\b/],
      [() => filesystems.getFilesystem(""), /filesystemId/],
      [() => filesystems.deleteFilesystem(" "), /filesystemId/],
      [() => filesystems.listFilesystems({ namePrefix: 3 as never }), /namePrefix/],
      [() => filesystems.listFilesystems({ cursor: 3 as never }), /cursor/],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call());
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(message);
    }
    expect(server.seen).toHaveLength(0);
  });

  it("reports a server error with code, status and request id", async () => {
    const ctx = await setup((_req, res) =>
      sendJson(res, 409, { code: "conflict", message: "filesystem is mounted" }),
    );
    const error = await rejection(new FilesystemsClient(ctx.client).deleteFilesystem("fs_1"));
    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect(error.requestId).toBe("req_409");
  });

  it("rejects a 2xx answer without filesystem_id as internal", async () => {
    const { filesystems } = await client(() => ({}));
    const error = await rejection(filesystems.getFilesystem("fs_1"));
    expect([error.code, error.status, error.requestId]).toEqual(["internal", 200, "req_200"]);
    expect(error.message).toMatch(/filesystem_id must be string/);
  });
});

describe("unknown option keys (issue 11, item 14)", () => {
  it("are refused by every method before sending, naming the key and its spelling", async () => {
    const { server, filesystems } = await client(() => fs1);
    const wrong = { name_prefix: "x" } as never;
    for (const [where, call] of [
      ["createFilesystem", () => filesystems.createFilesystem({ name: "a", ...(wrong as object) })],
      ["listFilesystems", () => filesystems.listFilesystems(wrong)],
      ["getFilesystem", () => filesystems.getFilesystem("fs_1", wrong)],
      ["deleteFilesystem", () => filesystems.deleteFilesystem("fs_1", wrong)],
    ] as const) {
      const error = await rejection(call());
      expect([where, error.code]).toEqual([where, "bad_request"]);
      expect(error.message).toContain(`${where}: unknown option name_prefix`);
    }
    expect((await rejection(filesystems.listFilesystems(wrong))).message).toContain(
      "did you mean namePrefix?",
    );
    expect(server.seen).toEqual([]);
  });
});
