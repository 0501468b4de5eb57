import { ArkerClient } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { CommandFailedError, VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

const runRequests = (fake: FakeArker) =>
  fake.requests.filter((r) => r.path.includes("/runs")).map((r) => `${r.method} ${r.path}`);

describe.each([
  ["in-process", false],
  ["listening", true],
])("vm.exec against the fake (%s)", (_door, listen) => {
  it("returns text in one request, cwd and env applied", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const result = await vm.exec('echo "$GREETING from $(pwd)"; echo warn >&2', {
      cwd: "/tmp",
      env: { GREETING: "hi" },
    });
    expect(result).toMatchObject({ stdout: "hi from /tmp\n", stderr: "warn\n", exitCode: 0 });
    expect(runRequests(fake)).toEqual([`POST /v1/vms/${vm.id}/runs`]);
  });

  it("waits for a run that outlives the synchronous window", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    fake.commands.on("train", () => ({ stdout: "trained\n", durationMs: 45_000 }));
    const result = await vm.exec("train", { pollIntervalMs: 10 });
    expect(result.stdout).toBe("trained\n");
    expect(runRequests(fake)[0]).toBe(`POST /v1/vms/${vm.id}/runs`);
    expect(runRequests(fake).slice(1).length).toBeGreaterThan(0);
  });

  it("a failing command rejects with command_failed; check: false returns it", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const error = await vm.exec("echo oops >&2; exit 3").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    const failed = error as CommandFailedError;
    expect(failed.code).toBe("command_failed");
    expect(failed.result).toMatchObject({ exitCode: 3, stderr: "oops\n", state: "completed" });
    expect(failed.message).toContain("exited with code 3");

    const missing = await vm.exec("no-such-program", { check: false });
    expect(missing.exitCode).toBe(127);
  });

  it("a timed-out run rejects with its fail reason", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    fake.commands.on("slow", () => ({ durationMs: 10_000 }));
    const error = (await vm
      .exec("slow", { timeout: 1 })
      .catch((e: unknown) => e)) as CommandFailedError;
    expect(error.code).toBe("command_failed");
    expect(error.result).toMatchObject({ state: "failed", failReason: "timeout", exitCode: 124 });
  });
});
