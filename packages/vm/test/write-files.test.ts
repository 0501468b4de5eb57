import { ArkerClient, INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { type FileToWrite, VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await cleanup();
});

async function vmsOver(listen: boolean, options: { maxVmBytes?: number } = {}) {
  const fake = await createFakeArker({ listen, python: false, ...options });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

const syncCalls = (fake: FakeArker) =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/sync")).length;
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe.each([
  ["in-process", false],
  ["listening", true],
])("vm.writeFiles against the fake (%s)", (_door, listen) => {
  it("sends 1,200 small files in two calls and a large one through a signed URL", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const files: FileToWrite[] = Array.from({ length: 1200 }, (_, i) => ({
      path: `/home/user/many/f${i}.txt`,
      data: `file ${i}\n`,
    }));
    const big = new Uint8Array(INLINE_FILE_LIMIT_BYTES + 10).map((_, i) => i % 253);
    files.push({ path: "/home/user/big.bin", data: big });
    const seen: Array<[number, number | null]> = [];
    await vm.writeFiles(files, {
      onProgress: (p) => seen.push([p.transferredBytes, p.totalBytes]),
    });
    // 1000 + 200 inline entries, then presign and commit of the big file.
    expect(syncCalls(fake)).toBe(4);
    const view = fake.files(vm.id);
    expect(text(view.read("/home/user/many/f0.txt"))).toBe("file 0\n");
    expect(text(view.read("/home/user/many/f1199.txt"))).toBe("file 1199\n");
    expect(Buffer.from(view.read("/home/user/big.bin")!).equals(Buffer.from(big))).toBe(true);
    const total = files.reduce(
      (sum, f) => sum + (typeof f.data === "string" ? f.data.length : big.byteLength),
      0,
    );
    expect(seen.every(([, t]) => t === total)).toBe(true);
    expect(seen.at(-1)?.[0]).toBe(total);
    const counts = seen.map(([done]) => done);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it("splits inline batches at 4 MiB of content", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const mib = new Uint8Array(1024 * 1024);
    await vm.writeFiles(Array.from({ length: 6 }, (_, i) => ({ path: `/tmp/m${i}`, data: mib })));
    expect(syncCalls(fake)).toBe(2);
    expect(fake.files(vm.id).read("/tmp/m5")?.byteLength).toBe(1024 * 1024);
  });

  it("names the file that failed; earlier calls stay written", async () => {
    const { vms } = await vmsOver(listen, { maxVmBytes: 2 * 1024 * 1024 });
    const vm = await vms.fork("ubuntu");
    const error = await rejection(
      vm.writeFiles([
        { path: "/tmp/ok", data: "ok" },
        { path: "/tmp/too-big", data: new Uint8Array(3 * 1024 * 1024) },
      ]),
    );
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain("/tmp/too-big");
    expect(text(await vm.readFile("/tmp/ok"))).toBe("ok");
  });
});

describe("vm.writeFiles checks before sending", () => {
  it("refuses a bad path, a repeated path, missing data and unknown options, sending nothing", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 500, {}));
    const vm = new VmClient(client).vm("vm_1");
    const cases: Array<[unknown, unknown, string]> = [
      [[{ path: "relative", data: "x" }], undefined, "files[0].path must be absolute"],
      [
        [
          { path: "/a", data: "x" },
          { path: "/a", data: "y" },
        ],
        undefined,
        "/a appears twice",
      ],
      [[{ path: "/a" }], undefined, "files[0].data is missing"],
      ["/a", undefined, "needs an array"],
      [[], { idempotencyKey: "k" }, "unknown option idempotencyKey"],
    ];
    for (const [files, options, message] of cases) {
      const error = await rejection(
        vm.writeFiles(files as FileToWrite[], options as Record<string, never>),
      );
      expect(error.code).toBe("bad_request");
      expect(error.message).toContain(message);
    }
    expect(server.seen).toHaveLength(0);
  });

  it("refuses an answer with fewer results than entries", async () => {
    const { client } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [{ path: "/a", size: 1, complete: true, written: true }],
      }),
    );
    const vm = new VmClient(client).vm("vm_1");
    const error = await rejection(
      vm.writeFiles([
        { path: "/a", data: "a" },
        { path: "/b", data: "b" },
      ]),
    );
    expect(error.message).toContain("1 results for 2 entries");
  });
});
