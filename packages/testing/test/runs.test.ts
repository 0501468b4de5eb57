import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { clock: "manual" });
});
afterEach(async () => {
  await client.close();
});

const getRun = async (vmId: string, runId: string) =>
  (await client.call("GET", `/v1/vms/${vmId}/runs/${runId}`)).json;

describe("sessions", () => {
  it("keep cwd and exported env between runs; a run's own env does not stick", async () => {
    const vm = await forkUbuntu(client);
    expect((await run(client, vm.vm_id, { command: "cd /tmp && export X=1" })).json.exit_code).toBe(
      0,
    );
    expect((await run(client, vm.vm_id, { command: "pwd; echo $X" })).json.stdout).toBe(
      "/tmp\n1\n",
    );
    expect(
      (await run(client, vm.vm_id, { command: "echo $Y", env: { Y: "once" } })).json.stdout,
    ).toBe("once\n");
    expect((await run(client, vm.vm_id, { command: 'echo "[$Y]"' })).json.stdout).toBe("[]\n");
    const session = (await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.sessions[0];
    expect(session).toMatchObject({ cwd: "/tmp", env: { X: "1" } });
    const other = await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    const fresh = await run(client, vm.vm_id, {
      command: 'pwd; echo "[$X]"',
      session_idx: other.json.session_idx,
    });
    expect(fresh.json.stdout).toBe("/home/user\n[]\n");
  });

  it("exports a run's env and the session's variables to child processes", async () => {
    const vm = await forkUbuntu(client);
    const child = await run(client, vm.vm_id, {
      command: "sh -c 'echo [$A] [$HOME]'",
      env: { A: "1" },
    });
    expect(child.json.stdout).toBe("[1] [/home/user]\n");
    await run(client, vm.vm_id, { command: "export B=2" });
    expect((await run(client, vm.vm_id, { command: "sh -c 'echo [$B]'" })).json.stdout).toBe(
      "[2]\n",
    );
  });
});

describe("commands", () => {
  it("exits 127 for a missing program", async () => {
    const vm = await forkUbuntu(client);
    const response = await run(client, vm.vm_id, { command: "definitely-not-here --flag" });
    expect(response.json.exit_code).toBe(127);
    expect(response.json.stderr).toContain("definitely-not-here: command not found");
  });

  it("sends output that is not UTF-8 as base64", async () => {
    const vm = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: {
        op: "write",
        writes: [{ path: "/tmp/b", size: 3, upload_id: "b", content: "/wD+", start: 0, end: 3 }],
      },
    });
    const response = await run(client, vm.vm_id, { command: "cat /tmp/b" });
    expect(response.json).toMatchObject({ stdout: "/wD+", stdout_encoding: "base64" });
    const text = await run(client, vm.vm_id, { command: "echo café" });
    expect(text.json).toMatchObject({ stdout: "café\n", stdout_encoding: "utf-8" });
  });

  it("runs python3 from the quickstart", async () => {
    const python = await openClient("in-process", { python: true });
    try {
      const vm = await forkUbuntu(python);
      const response = await run(python, vm.vm_id, { command: "python3 -c 'print(2 + 2)'" });
      expect(response.json).toMatchObject({ stdout: "4\n", exit_code: 0, state: "completed" });
    } finally {
      await python.close();
    }
  });

  it("shares files between sync and the shell, and forks see their parent's files", async () => {
    const vm = await forkUbuntu(client);
    await run(client, vm.vm_id, { command: "echo hi > /home/user/f" });
    const read = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: { op: "read", path: "/home/user/f" },
    });
    expect(read.json.content).toBe("hi\n");
    const child = (await client.call("POST", "/v1/fork", { body: { source_vm_id: vm.vm_id } }))
      .json;
    expect((await run(client, child.vm_id, { command: "cat /home/user/f" })).json.stdout).toBe(
      "hi\n",
    );
    await run(client, child.vm_id, {
      command: "echo child > /home/user/f; echo new > /home/user/g",
    });
    expect(
      (await run(client, vm.vm_id, { command: "cat /home/user/f; ls /home/user" })).json.stdout,
    ).toBe("hi\nf\n");
    expect(client.fake.files(child.vm_id).list("/home/user")).toEqual([
      ".bashrc",
      ".profile",
      "f",
      "g",
    ]);
  });
});

describe("timing on the fake clock", () => {
  it("moves the clock by a foreground run's sleeps", async () => {
    const vm = await forkUbuntu(client);
    const before = client.fake.clock.now();
    await run(client, vm.vm_id, { command: "sleep 5; echo done" });
    expect(client.fake.clock.now() - before).toBe(5000);
  });

  it("kills a run at its timeout: failed, fail_reason timeout, exit 124", async () => {
    const vm = await forkUbuntu(client);
    const before = client.fake.clock.now();
    const response = await run(client, vm.vm_id, { command: "sleep 10; echo never", timeout: 2 });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "timeout",
      exit_code: 124,
    });
    expect(response.json.stdout).toBe("");
    expect(client.fake.clock.now() - before).toBe(2000);
  });

  it("answers 202 past the synchronous window and finishes when time passes", async () => {
    const vm = await forkUbuntu(client);
    const response = await run(client, vm.vm_id, {
      command: "sleep 40; echo finished > /tmp/out; echo ok",
    });
    expect(response.status).toBe(202);
    expect(response.json.state).toBe("running");
    expect(client.fake.files(vm.vm_id).exists("/tmp/out")).toBe(false);
    await client.fake.clock.advance(39_999);
    expect((await getRun(vm.vm_id, response.json.run_id)).state).toBe("running");
    await client.fake.clock.advance(1);
    const done = await getRun(vm.vm_id, response.json.run_id);
    expect(done).toMatchObject({ state: "completed", exit_code: 0, stdout: "ok\n" });
    expect(done.completed_at).toBe("2025-01-01T00:00:40.000Z");
    expect(client.fake.files(vm.vm_id).exists("/tmp/out")).toBe(true);
  });

  it("times out a background run on the clock", async () => {
    const vm = await forkUbuntu(client);
    const response = await run(client, vm.vm_id, {
      command: "sleep 100",
      background: true,
      timeout: 5,
    });
    await client.fake.clock.advance(4_000);
    expect((await getRun(vm.vm_id, response.json.run_id)).state).toBe("running");
    await client.fake.clock.advance(1_000);
    expect(await getRun(vm.vm_id, response.json.run_id)).toMatchObject({
      state: "failed",
      fail_reason: "timeout",
      exit_code: 124,
      completed_at: "2025-01-01T00:00:05.000Z",
    });
  });

  it("serialises a session: a foreground run behind a parked one is answered 202 and runs after it", async () => {
    const vm = await forkUbuntu(client);
    const first = await run(client, vm.vm_id, {
      command: "sleep 10; echo a > /tmp/order",
      background: true,
    });
    const second = await run(client, vm.vm_id, { command: "echo b >> /tmp/order" });
    expect(second.status).toBe(202);
    await client.fake.clock.advance(10_000);
    expect((await getRun(vm.vm_id, first.json.run_id)).state).toBe("completed");
    expect((await getRun(vm.vm_id, second.json.run_id)).state).toBe("completed");
    const order = client.fake.files(vm.vm_id).read("/tmp/order");
    expect(Buffer.from(order!).toString()).toBe("a\nb\n");
  });

  it("lets a foreground run wait for a background run that needs no fake time", async () => {
    const vm = await forkUbuntu(client);
    const background = await run(client, vm.vm_id, {
      command: "echo first > /tmp/x",
      background: true,
    });
    expect(background.status).toBe(202);
    const foreground = await run(client, vm.vm_id, { command: "cat /tmp/x" });
    expect(foreground.status).toBe(200);
    expect(foreground.json.stdout).toBe("first\n");
  });

  it("cancels a parked run so its later commands never happen", async () => {
    const vm = await forkUbuntu(client);
    const started = await run(client, vm.vm_id, {
      command: "sleep 10; echo x > /tmp/never",
      background: true,
    });
    await client.call("DELETE", `/v1/vms/${vm.vm_id}/runs/${started.json.run_id}`);
    await client.fake.clock.advance(20_000);
    expect((await getRun(vm.vm_id, started.json.run_id)).state).toBe("cancelled");
    expect(client.fake.files(vm.vm_id).exists("/tmp/never")).toBe(false);
  });
});

describe("stubs", () => {
  it("match by string, RegExp or predicate and see argv, env, cwd, vm and files", async () => {
    const vm = await forkUbuntu(client);
    const seen: unknown[] = [];
    client.fake.commands.on("deploy --now", () => ({ stdout: "deployed\n" }));
    client.fake.commands.on(/^python3 train\.py/, (context) => {
      seen.push({
        argv: context.argv,
        cwd: context.cwd,
        vmId: context.vmId,
        env: context.env.MODE,
        release: Buffer.from(context.files.read("/etc/os-release") ?? [])
          .toString()
          .startsWith("PRETTY_NAME"),
        exists: context.files.exists("/nope"),
      });
      return { stdout: new Uint8Array([0x6f, 0x6b]), stderr: "warn\n", exitCode: 2 };
    });
    const unsubscribe = client.fake.commands.on(
      (command) => command.startsWith("magic"),
      () => ({ stdout: "✨" }),
    );
    expect((await run(client, vm.vm_id, { command: "deploy --now" })).json.stdout).toBe(
      "deployed\n",
    );
    const trained = await run(client, vm.vm_id, {
      command: "python3 train.py --epochs '3 4'",
      env: { MODE: "fast" },
    });
    expect(trained.json).toMatchObject({
      stdout: "ok",
      stderr: "warn\n",
      exit_code: 2,
      state: "completed",
    });
    expect(seen).toEqual([
      {
        argv: ["python3", "train.py", "--epochs", "3 4"],
        cwd: "/home/user",
        vmId: vm.vm_id,
        env: "fast",
        release: true,
        exists: false,
      },
    ]);
    expect((await run(client, vm.vm_id, { command: "magic wand" })).json.stdout).toBe("✨");
    unsubscribe();
    expect((await run(client, vm.vm_id, { command: "magic wand" })).json.exit_code).toBe(127);
  });

  it("fail the run when the handler throws, and take durationMs of fake time", async () => {
    const vm = await forkUbuntu(client);
    client.fake.commands.on("explode", () => {
      throw new Error("kaboom");
    });
    client.fake.commands.on("slow", async () => ({ stdout: "slow\n", durationMs: 45_000 }));
    const exploded = await run(client, vm.vm_id, { command: "explode" });
    expect(exploded.json).toMatchObject({ state: "failed", exit_code: 1, stderr: "kaboom\n" });
    const slow = await run(client, vm.vm_id, { command: "slow" });
    expect(slow.status).toBe(202);
    await client.fake.clock.advance(45_000);
    expect(await getRun(vm.vm_id, slow.json.run_id)).toMatchObject({
      state: "completed",
      stdout: "slow\n",
    });
  });

  it("can be registered over HTTP", async () => {
    const http = await openClient("http");
    try {
      const vm = await forkUbuntu(http);
      const registered = await http.call("POST", "/_fake/commands", {
        body: { match: { regex: "^make( |$)" }, stdout: "built\n", exitCode: 0 },
      });
      expect(registered.status).toBe(200);
      expect((await run(http, vm.vm_id, { command: "make all" })).json.stdout).toBe("built\n");
    } finally {
      await http.close();
    }
  });
});

describe("host failure", () => {
  it("resumes runs of a durable VM (retry_count + 1, files kept)", async () => {
    const vm = await forkUbuntu(client, { durable: true });
    await run(client, vm.vm_id, { command: "echo keep > /home/user/k" });
    const started = await run(client, vm.vm_id, {
      command: "sleep 30; echo resumed",
      background: true,
    });
    client.fake.failHost(vm.vm_id);
    expect(await getRun(vm.vm_id, started.json.run_id)).toMatchObject({
      state: "running",
      retry_count: 1,
    });
    await client.fake.clock.advance(30_000);
    expect(await getRun(vm.vm_id, started.json.run_id)).toMatchObject({
      state: "completed",
      stdout: "resumed\n",
    });
    expect(client.fake.files(vm.vm_id).exists("/home/user/k")).toBe(true);
  });

  it("answers a foreground run caught by the failure as failed with host_failed", async () => {
    const vm = await forkUbuntu(client);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    client.fake.commands.on("work", async () => {
      entered();
      await gate;
      return { stdout: "late\n" };
    });
    const pending = run(client, vm.vm_id, { command: "work" });
    await inside;
    client.fake.failHost(vm.vm_id);
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "host_failed",
      exit_code: 137,
      stdout: "",
    });
  });
});
