import { afterEach, describe, expect, it } from "vitest";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  keysOf,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const ACK_KEYS = [
  "exit_code",
  "fail_reason",
  "session_id",
  "signal",
  "signalled",
  "state",
  "stderr",
  "stderr_encoding",
  "stdout",
  "stdout_encoding",
];

/** Polls a run until it leaves `running` (the fake ends a signalled run at once). */
async function ended(client: RawClient, vmId: string, runId: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const got = await client.call("GET", `/v1/vms/${vmId}/runs/${runId}`);
    if (got.json.state !== "running") return got.json;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${runId} still running`);
}

describe.each<DoorKind>(["in-process", "http"])("signals through the %s door", (kind) => {
  it("a signal without a command stops the default session's run: failed, 128+n, reason signal", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const started = await run(client, vm.vm_id, { command: "sleep 100", background: true });
    expect(started.status).toBe(202);
    const ack = await run(client, vm.vm_id, { signal: "SIGTERM" });
    expect(ack.status).toBe(200);
    expect(keysOf(ack.json)).toEqual(ACK_KEYS);
    expect(ack.json).toMatchObject({
      state: "completed",
      exit_code: 0,
      stdout: "",
      stderr: "",
      fail_reason: null,
      signal: "SIGTERM",
      signalled: true,
      session_id: vm.sessions[0].session_id,
    });
    expect(ack.json.run_id).toBeUndefined();
    expect(await ended(client, vm.vm_id, started.json.run_id)).toMatchObject({
      state: "failed",
      exit_code: 143,
      fail_reason: "signal",
    });
    // Nothing in flight now: acknowledged, nothing signalled.
    expect((await run(client, vm.vm_id, { signal: "SIGINT" })).json.signalled).toBe(false);
  });

  it("targets the given session only, with each signal's number, and lets queued runs go on", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const session = (await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} })).json;
    const other = await run(client, vm.vm_id, { command: "sleep 100", background: true });
    const numbers = { SIGHUP: 129, SIGINT: 130, SIGKILL: 137 } as const;
    for (const [signal, exitCode] of Object.entries(numbers)) {
      const target = await run(client, vm.vm_id, {
        command: "sleep 100",
        background: true,
        session_id: session.session_id,
      });
      const ack = await run(client, vm.vm_id, { signal, session_id: session.session_id });
      expect(ack.json).toMatchObject({ signalled: true, session_id: session.session_id });
      expect(await ended(client, vm.vm_id, target.json.run_id)).toMatchObject({
        state: "failed",
        exit_code: exitCode,
        fail_reason: "signal",
      });
    }
    expect(
      (await client.call("GET", `/v1/vms/${vm.vm_id}/runs/${other.json.run_id}`)).json.state,
    ).toBe("running");
    expect((await run(client, vm.vm_id, { signal: "SIGINT" })).json.signalled).toBe(true);
    expect((await ended(client, vm.vm_id, other.json.run_id)).exit_code).toBe(130);
    // Two runs queued on one session: the signal stops the one in flight, the next runs.
    const first = await run(client, vm.vm_id, { command: "sleep 100", background: true });
    const queued = await run(client, vm.vm_id, { command: "echo next", background: true });
    const ack = await run(client, vm.vm_id, { signal: "SIGINT", session_idx: 0 });
    expect(ack.json.signalled).toBe(true);
    expect((await ended(client, vm.vm_id, first.json.run_id)).fail_reason).toBe("signal");
    expect(await ended(client, vm.vm_id, queued.json.run_id)).toMatchObject({
      state: "completed",
      stdout: "next\n",
    });
  });

  it("refuses an unknown signal, a signal with a command, and an unknown session", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    for (const body of [
      { signal: "SIGUSR1" },
      { signal: "sigint" },
      { signal: 2 },
      { signal: "SIGINT", command: "true" },
    ]) {
      expectError(await run(client, vm.vm_id, body), 400, "bad_request");
    }
    expectError(
      await run(client, vm.vm_id, { signal: "SIGINT", session_id: "sess_nope" }),
      404,
      "not_found",
    );
    expectError(await run(client, vm.vm_id, {}), 400, "bad_request");
  });
});
