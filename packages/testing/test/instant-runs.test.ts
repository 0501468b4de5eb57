import { fetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type DoorKind, forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

// A command that needs neither a stub nor the shell (`true`, `:`, `false`) with nothing
// ahead of it on its session is answered on the spot, without a queue turn or a window
// timer. These tests pin what must not change with that shortcut: the answer, the run's
// record, and every case that must still take the long way.

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function open(kind: DoorKind = "in-process"): Promise<RawClient> {
  client = await openClient(kind);
  return client;
}

describe.each(["in-process", "http"] as const)("instant runs through the %s door", (kind) => {
  it("answers `true` 200 with a completed run that GET and the list show the same", async () => {
    const raw = await open(kind);
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "true" });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ state: "completed", exit_code: 0, stdout: "" });
    const fetched = await raw.call("GET", `/v1/vms/${vm.vm_id}/runs/${answer.json.run_id}`);
    expect(fetched.json).toMatchObject({
      run_id: answer.json.run_id,
      state: "completed",
      exit_code: 0,
    });
    expect(fetched.json.completed_at).toBe(fetched.json.started_at);
    const listed = await raw.call("GET", `/v1/vms/${vm.vm_id}/runs`);
    expect(listed.json.runs.map((entry: { run_id: string }) => entry.run_id)).toEqual([
      answer.json.run_id,
    ]);
    const log = raw.fake.requests.at(-2);
    expect(log).toMatchObject({ method: "GET", status: 200 });
    expect(
      raw.fake.requests.find((entry) => entry.method === "POST" && entry.path.endsWith("/runs")),
    ).toMatchObject({ status: 200, replayed: false });
  });

  it("answers `false` as a completed run with exit code 1", async () => {
    const raw = await open(kind);
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "false" });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ state: "completed", exit_code: 1, fail_reason: null });
  });
});

describe("answers given within dispatch", () => {
  it("reach fetch (undici's other handler style) whole: a run, a 404 and a health check", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const headers = {
      authorization: `Bearer ${raw.fake.apiKey}`,
      "content-type": "application/json",
    };
    const ran = await fetch(`${raw.base}/v1/vms/${vm.vm_id}/runs`, {
      dispatcher: raw.fake.dispatcher,
      method: "POST",
      headers,
      body: JSON.stringify({ command: "true" }),
    });
    expect(ran.status).toBe(200);
    expect(ran.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await ran.json()).toMatchObject({ state: "completed", exit_code: 0 });
    const missing = await fetch(`${raw.base}/v1/vms/vm_missing/runs`, {
      dispatcher: raw.fake.dispatcher,
      method: "POST",
      headers,
      body: JSON.stringify({ command: "true" }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });
    const health = await fetch(`${raw.base}/v1/health`, { dispatcher: raw.fake.dispatcher });
    expect(health.status).toBe(200);
  });
});

describe("instant runs take the long way when they must", () => {
  it("a `true` behind a background sleep on its session waits until the sleep ends", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const sleeper = await run(raw, vm.vm_id, { command: "sleep 5", background: true });
    expect(sleeper.status).toBe(202);
    const after = await run(raw, vm.vm_id, { command: "true" });
    expect(after.status).toBe(200);
    const slept = await raw.call("GET", `/v1/vms/${vm.vm_id}/runs/${sleeper.json.run_id}`);
    expect(slept.json.state).toBe("completed");
    const waited = await raw.call("GET", `/v1/vms/${vm.vm_id}/runs/${after.json.run_id}`);
    expect(Date.parse(waited.json.started_at)).toBeGreaterThanOrEqual(
      Date.parse(slept.json.completed_at),
    );
  });

  it("a background `true` is answered 202 running", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "true", background: true });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ state: "running" });
  });

  it("a `true` with time_to_background 0 is answered 202 running", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "true", time_to_background: 0 });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ state: "running" });
  });

  it("a stub for `true` wins over the shortcut", async () => {
    const raw = await open();
    raw.fake.commands.on("true", () => ({ stdout: "stubbed\n", exitCode: 3 }));
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "true" });
    expect(answer.json).toMatchObject({ stdout: "stubbed\n", exit_code: 3 });
  });

  it("a `true` with its own env runs in the shell, which sees the env", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const answer = await run(raw, vm.vm_id, { command: "true", env: { A: "1" } });
    expect(answer.json).toMatchObject({ state: "completed", exit_code: 0 });
  });

  it("a replay of an instant run under its key answers the same run, marked replayed", async () => {
    const raw = await open();
    const vm = await forkUbuntu(raw);
    const first = await run(raw, vm.vm_id, { command: "true" }, "key-instant-1");
    const again = await run(raw, vm.vm_id, { command: "true" }, "key-instant-1");
    expect(again.status).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json.run_id).toBe(first.json.run_id);
    const listed = await raw.call("GET", `/v1/vms/${vm.vm_id}/runs`);
    expect(listed.json.runs).toHaveLength(1);
    const other = await run(raw, vm.vm_id, { command: ":" }, "key-instant-1");
    expect(other.status).toBe(409);
  });
});
