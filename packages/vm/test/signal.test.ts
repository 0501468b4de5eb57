import { ArkerClient, ArkerError } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false, clock: "manual" });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

describe.each([
  ["in-process", false],
  ["listening", true],
])("vm.signal against the fake (%s)", (_door, listen) => {
  it("signals the command in flight of the default session or of a given one", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const started = await vm.run("sleep 100", { background: true });
    if (started.type !== "background") throw new Error("expected a background run");
    const ack = await vm.signal("SIGINT");
    expect(ack).toEqual({
      sessionId: expect.stringMatching(/^sess_/),
      signal: "SIGINT",
      signalled: true,
    });
    const done = await vm.waitForRun(started.runId, { pollIntervalMs: 10 });
    expect(done).toMatchObject({ state: "failed", exitCode: 130, failReason: "signal" });

    const session = await vm.createSession();
    const inSession = await vm.run("sleep 100", {
      background: true,
      sessionId: session.session_id,
    });
    if (inSession.type !== "background") throw new Error("expected a background run");
    expect((await vm.signal("SIGKILL", { sessionId: session.session_id })).signalled).toBe(true);
    expect((await vm.waitForRun(inSession.runId, { pollIntervalMs: 10 })).exitCode).toBe(137);
    expect((await vm.signal("SIGTERM")).signalled).toBe(false);
  });
});

describe("vm.signal arguments", () => {
  it("are checked before sending", async () => {
    const { fake, vms } = await vmsOver(false);
    const vm = vms.vm("vm_x");
    const before = fake.requests.length;
    for (const call of [
      vm.signal("SIGUSR1" as "SIGINT"),
      vm.signal("sigint" as "SIGINT"),
      vm.signal("SIGINT", { session_id: "sess_1" } as never),
      vm.signal("SIGINT", { sessionId: "" }),
    ]) {
      const error = await call.catch((caught: unknown) => caught);
      expect(ArkerError.is(error) && error.code, String(error)).toBe("bad_request");
    }
    const typo = await vm.signal("SIGINT", { session_id: "s" } as never).catch((e) => e);
    expect(typo.message).toContain("did you mean sessionId?");
    expect(fake.requests.length).toBe(before);
  });
});
