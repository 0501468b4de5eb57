import { ArkerClient } from "@arker-ai/core";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

// Options checked only after a first request would leave that request's work behind (a
// run started, a session made): these refusals must come before anything is sent.

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

async function forked() {
  const fake = await createFakeArker({ python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  closing.push(client, fake);
  const vm = await new VmClient(client).fork("ubuntu");
  return { fake, vm };
}

describe("refused before anything is sent", () => {
  it.each([0, -5, Number.NaN, "100"])("exec with pollIntervalMs %s starts no run", async (bad) => {
    const { fake, vm } = await forked();
    const before = fake.requests.length;
    await expect(vm.exec("echo hi", { pollIntervalMs: bad as number })).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining("pollIntervalMs"),
    });
    expect(fake.requests.length).toBe(before);
  });

  it("exec with a valid pollIntervalMs still runs", async () => {
    const { vm } = await forked();
    expect((await vm.exec("echo hi", { pollIntervalMs: 50 })).stdout).toBe("hi\n");
  });

  it.each([
    [{ cols: 0 }, "cols"],
    [{ rows: 1001 }, "rows"],
    [{ cols: 2.5 }, "cols"],
  ])("spawn with %o makes no session", async (size, name) => {
    const { fake, vm } = await forked();
    const before = fake.requests.length;
    await expect(vm.spawn("echo hi", size)).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining(`${name} must be an integer from 1 to 1000`),
    });
    expect(fake.requests.length).toBe(before);
  });
});
