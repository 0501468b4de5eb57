import { ArkerClient, INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, setup } from "../../../test-support/local-server";
import { type FileToWrite, VmClient } from "../src/index";
import { BATCH_BYTES, BATCH_FILES } from "../src/resources/write-files";

// Where vm.writeFiles cuts its batches, exactly at the limits, and what it passes to each
// call (found by mutation testing: TESTING.md).
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await cleanup();
});

async function forkedVm() {
  const fake = await createFakeArker({ python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vm: await new VmClient(client).fork("ubuntu") };
}

const syncCalls = (fake: FakeArker) =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/sync")).length;

const small = (count: number): FileToWrite[] =>
  Array.from({ length: count }, (_, i) => ({ path: `/tmp/f${i}`, data: "x" }));

describe("vm.writeFiles batching at the limits", () => {
  it("sends nothing for no files", async () => {
    const { fake, vm } = await forkedVm();
    await vm.writeFiles([]);
    expect(syncCalls(fake)).toBe(0);
  });

  it("puts exactly BATCH_FILES files in one call, and one more in a second", async () => {
    const { fake, vm } = await forkedVm();
    await vm.writeFiles(small(BATCH_FILES));
    expect(syncCalls(fake)).toBe(1);
    await vm.writeFiles(small(BATCH_FILES + 1));
    expect(syncCalls(fake)).toBe(3);
  });

  it("puts files of exactly BATCH_BYTES together in one call", async () => {
    const { fake, vm } = await forkedVm();
    const half = new Uint8Array(BATCH_BYTES / 2);
    await vm.writeFiles([
      { path: "/tmp/a", data: half },
      { path: "/tmp/b", data: half },
    ]);
    expect(syncCalls(fake)).toBe(1);
    expect(fake.files(vm.id).read("/tmp/b")?.byteLength).toBe(BATCH_BYTES / 2);
  });

  it("sends a file of exactly the inline limit inline, in one call", async () => {
    const { fake, vm } = await forkedVm();
    await vm.writeFiles([{ path: "/tmp/edge", data: new Uint8Array(INLINE_FILE_LIMIT_BYTES) }]);
    expect(syncCalls(fake)).toBe(1);
    expect(fake.files(vm.id).read("/tmp/edge")?.byteLength).toBe(INLINE_FILE_LIMIT_BYTES);
  });
});

describe("vm.writeFiles passes its controls to each call", () => {
  it("timeoutMs bounds a write the service never answers", async () => {
    const { client } = await setup(() => undefined, { retry: { attempts: 1 } });
    const vm = new VmClient(client).vm("vm_1");
    const error = await rejection(vm.writeFiles([{ path: "/a", data: "a" }], { timeoutMs: 50 }));
    expect(error.message).toBe("network_error: request timed out after 50 ms");
  }, 4000);

  it("an abort stops a write the service never answers", async () => {
    const controller = new AbortController();
    const { client } = await setup(() => controller.abort());
    const vm = new VmClient(client).vm("vm_1");
    const error = await rejection(
      vm.writeFiles([{ path: "/a", data: "a" }], { signal: controller.signal }),
    );
    expect(error.code).toBe("aborted");
  }, 4000);
});
