import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";
import { fileStore } from "./file-server";

afterEach(cleanup);

describe("transfer edges", () => {
  it("sends a Blob over 4 MiB through the signed URL", async () => {
    const store = fileStore();
    const ctx = await setup(store.handle);
    store.setBase(ctx.server.url);
    const bytes = new Uint8Array(INLINE_FILE_LIMIT_BYTES + 10).fill(9);
    await new VmClient(ctx.client).vm("vm_1").writeFile("/blob", new Blob([bytes]));
    expect(ctx.server.seen.map((r) => r.method)).toEqual(["POST", "PUT", "POST"]);
    expect(store.files.get("/blob")?.equals(Buffer.from(bytes))).toBe(true);
  });

  it("fails a signed download shorter than announced, after retrying it", async () => {
    const ctx = await setup((req, res) => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(Buffer.alloc(10));
      }
      sendJson(res, 200, {
        ok: true,
        op: "read",
        path: "/f",
        size: 20,
        presigned_url: `http://${req.headers.host}/signed/get/f`,
        expires_in: 60,
        method: "GET",
      });
    });
    const error = await rejection(new VmClient(ctx.client).vm("vm_1").readFile("/f"));
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("expected 20");
    expect(ctx.server.seen.filter((r) => r.method === "GET")).toHaveLength(3);
  });

  it("passes timeoutMs to the transport: a silent server ends in network_error", async () => {
    const ctx = await setup(() => {}, { retry: false });
    const error = await rejection(
      new VmClient(ctx.client).vm("vm_1").run("true", { timeoutMs: 50 }),
    );
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("timed out after 50 ms");
    expect(error.status).toBe(0);
  });

  it("aborts a write whose signal fires before the upload", async () => {
    const store = fileStore();
    const ctx = await setup(store.handle);
    store.setBase(ctx.server.url);
    const controller = new AbortController();
    const chunks = (async function* () {
      yield new Uint8Array(10);
      controller.abort();
      yield new Uint8Array(10);
    })();
    const error = await rejection(
      new VmClient(ctx.client).vm("vm_1").writeFile("/f", chunks, { signal: controller.signal }),
    );
    expect(error.code).toBe("aborted");
    expect(ctx.server.seen).toHaveLength(0);
  });

  it("serialises a handle to its id and info", async () => {
    const ctx = await setup((_req, res) => sendJson(res, 200, {}));
    const vm = new VmClient(ctx.client).vm("vm_json");
    expect(JSON.parse(JSON.stringify(vm))).toEqual({ id: "vm_json", info: null });
  });
});
