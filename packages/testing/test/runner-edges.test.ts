import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

/**
 * Runner paths the main run tests leave out: stubs that time out, throw odd values or
 * wait on the test; a run env shadowing a session variable; queues with a cancelled
 * middle run or a run that parks late; a signal to a session that never ran anything.
 */

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { clock: "manual" });
});
afterEach(async () => {
  await client.close();
});

const getRun = async (vmId: string, runId: string) =>
  (await client.call("GET", `/v1/vms/${vmId}/runs/${runId}`)).json;

/** A promise the test resolves by hand. */
function gate<T>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("stubs", () => {
  it("a stub whose fake duration passes the run's timeout ends it failed, timeout, 124, no output", async () => {
    const vm = await forkUbuntu(client);
    client.fake.commands.on("slow", () => ({ stdout: "never\n", durationMs: 10_000 }));
    const before = client.fake.clock.now();
    const response = await run(client, vm.vm_id, { command: "slow", timeout: 5 });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "timeout",
      exit_code: 124,
      stdout: "",
      stderr: "",
    });
    expect(client.fake.clock.now() - before).toBe(5000);
  });

  it("a stub lists a VM directory through context.files.list (undefined for a file)", async () => {
    const vm = await forkUbuntu(client);
    await run(client, vm.vm_id, { command: "mkdir -p /tmp/d && touch /tmp/d/b /tmp/d/a" });
    const seen: unknown[] = [];
    client.fake.commands.on("look", (context) => {
      seen.push(context.files.list("/tmp/d")?.sort(), context.files.list("/tmp/d/a"));
      return {};
    });
    await run(client, vm.vm_id, { command: "look" });
    expect(seen).toEqual([["a", "b"], undefined]);
  });

  it("a handler that throws a string, or an Error ending in a newline, fails the run with that text once", async () => {
    const vm = await forkUbuntu(client);
    client.fake.commands.on("plain", () => {
      throw "plain failure";
    });
    client.fake.commands.on("lined", () => {
      throw new Error("lined failure\n");
    });
    const plain = await run(client, vm.vm_id, { command: "plain" });
    expect(plain.json).toMatchObject({
      state: "failed",
      fail_reason: "error",
      exit_code: 1,
      stderr: "plain failure\n",
    });
    const lined = await run(client, vm.vm_id, { command: "lined" });
    expect(lined.json).toMatchObject({ state: "failed", exit_code: 1, stderr: "lined failure\n" });
  });

  it("a matcher that throws a string fails the run with that text", async () => {
    const vm = await forkUbuntu(client);
    client.fake.commands.on(
      () => {
        throw "matcher broke";
      },
      () => ({ stdout: "unreachable" }),
    );
    const response = await run(client, vm.vm_id, { command: "echo hi" });
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "error",
      exit_code: 1,
      stdout: "",
      stderr: "matcher broke\n",
    });
  });

  it("a foreground stub still working when its timeout passes on the clock ends timed out", async () => {
    const vm = await forkUbuntu(client);
    const called = gate<void>();
    const release = gate<{ stdout: string }>();
    client.fake.commands.on("wait", () => {
      called.open();
      return release.promise;
    });
    const before = client.fake.clock.now();
    const pending = run(client, vm.vm_id, { command: "wait", timeout: 5 });
    await called.promise;
    await client.fake.clock.advance(10_000);
    release.open({ stdout: "late\n" });
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "timeout",
      exit_code: 124,
      stdout: "",
    });
    expect(client.fake.clock.now() - before).toBe(10_000);
  });
});

describe("session queues", () => {
  it("a foreground run queued behind one that parks later is answered 202 when it parks", async () => {
    const vm = await forkUbuntu(client);
    const called = gate<void>();
    const release = gate<{ stdout: string; durationMs: number }>();
    client.fake.commands.on("hold", () => {
      called.open();
      return release.promise;
    });
    const first = run(client, vm.vm_id, { command: "hold" });
    await called.promise;
    const second = run(client, vm.vm_id, { command: "echo second" });
    release.open({ stdout: "first\n", durationMs: 60_000 });
    const [firstAnswer, secondAnswer] = await Promise.all([first, second]);
    expect(firstAnswer.status).toBe(202);
    expect(secondAnswer.status).toBe(202);
    await client.fake.clock.advance(60_000);
    expect(await getRun(vm.vm_id, firstAnswer.json.run_id)).toMatchObject({
      state: "completed",
      stdout: "first\n",
    });
    expect(await getRun(vm.vm_id, secondAnswer.json.run_id)).toMatchObject({
      state: "completed",
      stdout: "second\n",
    });
  });

  it("cancelling a queued run behind the head takes it off the queue; the rest go on", async () => {
    const vm = await forkUbuntu(client);
    const head = await run(client, vm.vm_id, {
      command: "sleep 10; echo a >> /tmp/order",
      background: true,
    });
    const middle = await run(client, vm.vm_id, {
      command: "echo b >> /tmp/order",
      background: true,
    });
    const last = await run(client, vm.vm_id, {
      command: "echo c >> /tmp/order",
      background: true,
    });
    const cancelled = await client.call("DELETE", `/v1/vms/${vm.vm_id}/runs/${middle.json.run_id}`);
    expect(cancelled.status).toBe(200);
    await client.fake.clock.advance(10_000);
    expect((await getRun(vm.vm_id, head.json.run_id)).state).toBe("completed");
    expect((await getRun(vm.vm_id, middle.json.run_id)).state).toBe("cancelled");
    expect((await getRun(vm.vm_id, last.json.run_id)).state).toBe("completed");
    expect(Buffer.from(client.fake.files(vm.vm_id).read("/tmp/order")!).toString()).toBe("a\nc\n");
    const session = (await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.sessions[0];
    expect(session.state).toBe("idle");
    // Time can still move: nothing is left counted as executing.
    await client.fake.clock.advance(1_000);
  });

  it("a background `sleep 0` does not park: a foreground run behind it is answered 200", async () => {
    const vm = await forkUbuntu(client);
    const background = await run(client, vm.vm_id, {
      command: "sleep 0; echo zero > /tmp/zero",
      background: true,
    });
    expect(background.status).toBe(202);
    const foreground = await run(client, vm.vm_id, { command: "cat /tmp/zero" });
    expect(foreground.status).toBe(200);
    expect(foreground.json.stdout).toBe("zero\n");
  });
});

describe("sessions", () => {
  it("a run's env shadows a session variable for that run only; the session keeps its value", async () => {
    const vm = await forkUbuntu(client);
    await run(client, vm.vm_id, { command: "export FOO=session" });
    const shadowed = await run(client, vm.vm_id, { command: "echo $FOO", env: { FOO: "run" } });
    expect(shadowed.json.stdout).toBe("run\n");
    expect((await run(client, vm.vm_id, { command: "echo $FOO" })).json.stdout).toBe("session\n");
  });

  it("deleting a session cancels its running and queued runs", async () => {
    const vm = await forkUbuntu(client);
    const created = await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    const session = { session_id: created.json.session_id };
    const head = await run(client, vm.vm_id, {
      command: "sleep 10; echo a > /tmp/a",
      background: true,
      ...session,
    });
    const queued = await run(client, vm.vm_id, {
      command: "echo b > /tmp/b",
      background: true,
      ...session,
    });
    const deleted = await client.call(
      "DELETE",
      `/v1/vms/${vm.vm_id}/sessions/${created.json.session_id}`,
    );
    expect(deleted.json).toEqual({ deleted: true });
    await client.fake.clock.advance(10_000);
    expect((await getRun(vm.vm_id, head.json.run_id)).state).toBe("cancelled");
    expect((await getRun(vm.vm_id, queued.json.run_id)).state).toBe("cancelled");
    expect(client.fake.files(vm.vm_id).exists("/tmp/a")).toBe(false);
    expect(client.fake.files(vm.vm_id).exists("/tmp/b")).toBe(false);
  });

  it("a signal to a session that never ran anything is acknowledged, nothing signalled", async () => {
    const vm = await forkUbuntu(client);
    const created = await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    const ack = await run(client, vm.vm_id, {
      signal: "SIGINT",
      session_idx: created.json.session_idx,
    });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ signal: "SIGINT", signalled: false });
  });
});

describe("terminal commands outside a terminal", () => {
  it("stty and tput fail as without a tty", async () => {
    const vm = await forkUbuntu(client);
    const stty = await run(client, vm.vm_id, { command: "stty size" });
    expect(stty.json).toMatchObject({
      exit_code: 1,
      stdout: "",
      stderr: "stty: 'standard input': Inappropriate ioctl for device\n",
    });
    const tput = await run(client, vm.vm_id, { command: "tput cols; tput lines; tput" });
    expect(tput.json).toMatchObject({
      exit_code: 1,
      stdout: "",
      stderr:
        "tput: unknown capability 'cols'\ntput: unknown capability 'lines'\ntput: unknown capability ''\n",
    });
  });
});
