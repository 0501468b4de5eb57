import { describe, expect, it } from "vitest";
import { rejection, sendJson, startServer, wireVm } from "../../../test-support/local-server";
import * as sdk from "../src/index";
import { Arker, ArkerError, FilesystemsClient, Vm, VmClient } from "../src/index";

describe("Arker", () => {
  it("has exactly the README's Core API methods", () => {
    const methods = Object.getOwnPropertyNames(Arker.prototype)
      .filter((n) => n !== "constructor")
      .sort();
    expect(methods).toEqual(
      [
        "close",
        "createFilesystem",
        "deleteFilesystem",
        "fork",
        "getFilesystem",
        "getVm",
        "listFilesystems",
        "listVms",
        "vm",
      ].sort(),
    );
    expect(typeof Arker.prototype[Symbol.asyncDispose]).toBe("function");
  });

  it("composes one shared ArkerClient", () => {
    const ar = new Arker({ apiKey: "ark_live_x", baseUrl: "http://127.0.0.1:1" });
    expect(ar.vms).toBeInstanceOf(VmClient);
    expect(ar.filesystems).toBeInstanceOf(FilesystemsClient);
    expect(ar.vms.client).toBe(ar.client);
    expect(ar.filesystems.client).toBe(ar.client);
    const vm = ar.vm("vm_1");
    expect(vm).toBeInstanceOf(Vm);
    expect(vm.id).toBe("vm_1");
  });

  it("throws bad_request without an API key, before any request", () => {
    const saved = process.env.ARKER_API_KEY;
    delete process.env.ARKER_API_KEY;
    try {
      expect(() => new Arker({ region: "us-west-2" })).toThrow(ArkerError);
      try {
        new Arker({ region: "us-west-2" });
      } catch (error) {
        expect((error as ArkerError).code).toBe("bad_request");
        expect((error as ArkerError).status).toBe(400);
      }
    } finally {
      if (saved !== undefined) process.env.ARKER_API_KEY = saved;
    }
  });

  it("refuses an unknown option naming its camelCase spelling (issue 11, item 14)", () => {
    expect(() => new Arker({ api_key: "k", region: "us-west-2" } as never)).toThrow(
      "unknown option api_key; did you mean apiKey?",
    );
  });

  it("re-exports errors, constants and the resource clients", () => {
    expect(sdk.ARKER_ORG_ID).toBe("ArkerHQ");
    expect(sdk.PUBLIC_GOLDENS).toContain("ubuntu-full");
    expect(sdk.INLINE_FILE_LIMIT_BYTES).toBe(4 * 1024 * 1024);
    expect(sdk.DEFAULT_MAX_FILE_BYTES).toBe(100 * 1024 * 1024);
    expect(typeof sdk.ArkerClient).toBe("function");
    expect(typeof sdk.ArkerError.is).toBe("function");
    expect(typeof sdk.Page).toBe("function");
    expect(typeof sdk.VmClient).toBe("function");
    expect(typeof sdk.FilesystemsClient).toBe("function");
    expect(typeof sdk.validatePath).toBe("function");
    expect(sdk.MAX_RUN_TIMEOUT_SECONDS).toBe(86_400);
    expect(sdk.wire.ARKER_ORG_ID).toBe("ArkerHQ");
    const typed: sdk.wire.Vm["vm_id"] = "vm_typed";
    expect(typed).toBe("vm_typed");
  });

  it("delegates each method to the wire route it names", async () => {
    const vm = wireVm("vm_9");
    const fs = {
      filesystem_id: "fs_1",
      name: "d",
      owner_org_id: "org_test",
      created_at: "2026-01-01T00:00:00Z",
      size_bytes: 0,
    };
    const server = await startServer((req, res) => {
      if (req.url === "/v1/fork" || req.url.startsWith("/v1/vms/vm_9"))
        return sendJson(res, 200, vm);
      if (req.url.startsWith("/v1/vms"))
        return sendJson(res, 200, { vms: [vm], next_cursor: null });
      if (req.method === "GET" && /^\/v1\/filesystems(\?|$)/.test(req.url)) {
        return sendJson(res, 200, { filesystems: [fs], next_cursor: null });
      }
      return sendJson(res, 200, req.method === "DELETE" ? { deleted: true } : fs);
    });
    const ar = new Arker({ apiKey: "ark_live_x", baseUrl: server.url, logLevel: "off" });
    try {
      expect((await ar.fork("ubuntu-full")).id).toBe("vm_9");
      expect((await ar.listVms({ state: "idle" })).items).toEqual([vm]);
      expect(await ar.getVm("vm_9")).toEqual(vm);
      expect(await ar.createFilesystem({ name: "d" })).toEqual(fs);
      expect((await ar.listFilesystems()).items).toEqual([fs]);
      expect(await ar.getFilesystem("fs_1")).toEqual(fs);
      await ar.deleteFilesystem("fs_1");
      expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
        "POST /v1/fork",
        "GET /v1/vms?state=idle",
        "GET /v1/vms/vm_9",
        "POST /v1/filesystems",
        "GET /v1/filesystems",
        "GET /v1/filesystems/fs_1",
        "DELETE /v1/filesystems/fs_1",
      ]);
      expect(server.seen[0]!.json).toEqual({
        source_vm_name: "ubuntu-full",
        source_org_id: "ArkerHQ",
      });
      const error = await rejection(ar.fork({}));
      expect(error.code).toBe("bad_request");
      expect(server.seen).toHaveLength(7);
    } finally {
      await ar.close();
      await server.close();
    }
  });
});
