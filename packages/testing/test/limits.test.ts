import { request as httpRequest } from "node:http";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createFakeArker, type FakeArker } from "../src/index.js";
import { forkUbuntu, type Json, openClient, type RawClient, run } from "./helpers.js";

/**
 * The fake's resource limits (issue 13, finding 2): a real-time cap per command, an
 * output cap, a per-VM byte cap, auth before the body and a body cap, and a fake that
 * keeps answering while a command loops.
 */

async function waitForRun(client: RawClient, vmId: string, runId: string): Promise<Json> {
  for (;;) {
    const answer = await client.call("GET", `/v1/vms/${vmId}/runs/${runId}`);
    if (answer.json.state !== "running") return answer.json;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a busy command", () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await openClient("http", { maxCommandMs: 800 });
  });
  afterAll(() => client.close());

  it("leaves the fake answering: health returns while the loop still runs", async () => {
    // A cap of its own, roomy enough that a loaded machine still finds the loop running
    // when it asks (800 ms ran out before the GET at load 12-15).
    const roomy = await openClient("http", { maxCommandMs: 4000 });
    onTestFinished(() => roomy.close());
    const vm = await forkUbuntu(roomy);
    const started = await run(roomy, vm.vm_id, {
      command: "while true; do :; done",
      background: true,
    });
    expect(started.status).toBe(202);
    const health = await request(`${roomy.base}/v1/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const during = await roomy.call("GET", `/v1/vms/${vm.vm_id}/runs/${started.json.run_id}`);
    expect(during.json.state).toBe("running");
    const ended = await waitForRun(roomy, vm.vm_id, started.json.run_id);
    expect(ended).toMatchObject({ state: "failed", fail_reason: "timeout", exit_code: 124 });
    expect(ended.stderr).toMatch(/real-time limit of 4000 ms/);
  });

  it("in a for loop or a nested shell is cut off by the real-time cap too", async () => {
    const vm = await forkUbuntu(client);
    for (const command of [
      "for i in $(seq 1 99999); do :; done; for i in $(seq 1 99999); do :; done",
      "bash -c 'until false; do :; done'",
    ]) {
      const answer = await run(client, vm.vm_id, { command });
      expect(answer.json.exit_code, command).toBe(124);
      expect(answer.json.stderr, command).toMatch(/real-time limit/);
    }
  });

  it("is bounded by real time only: a loop of more than 100 000 commands still completes", async () => {
    const roomy = await openClient("in-process", { maxCommandMs: 60_000 });
    try {
      const vm = await forkUbuntu(roomy);
      const answer = await run(roomy, vm.vm_id, {
        command: "n=0; while [ $n -lt 60000 ]; do n=$((n+1)); done; echo $n",
      });
      expect(answer.json).toMatchObject({ state: "completed", exit_code: 0, stdout: "60000\n" });
    } finally {
      await roomy.close();
    }
    // The fake gives the command 60 s of real time; the test waits as long (8–16 s on a
    // quiet 2-core host, past vitest's 20 s default on a busy one).
  }, 90_000);

  it("keeps shell semantics: loop and function statuses are unchanged", async () => {
    const vm = await forkUbuntu(client);
    const answer = await run(client, vm.vm_id, {
      command:
        "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i; until false; do break; done; echo $?; for x in a; do false; done; echo $?; f() { return 3; }; f; echo $?; while false; do :; done; echo $?",
    });
    expect(answer.json.stdout).toBe("3\n0\n1\n3\n0\n");
  });
});

describe("caps", () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await openClient("in-process", {
      maxOutputBytes: 5_000_000,
      maxVmBytes: 1_000_000,
    });
  });
  afterAll(() => client.close());

  it("output past maxOutputBytes fails the run with a clear message", async () => {
    const vm = await forkUbuntu(client);
    const answer = await run(client, vm.vm_id, {
      command: "for i in 1 2 3 4 5 6 7 8 9 10; do seq 1 99999; done",
    });
    expect(answer.json.state).toBe("failed");
    expect(answer.json.stderr).toMatch(/output passed the fake's limit of 5000000 bytes/);
    expect(answer.json.stdout.length).toBeLessThanOrEqual(5_000_000);
  });

  it("writes past maxVmBytes fail inside the VM; the VM's files stay within the cap", async () => {
    const vm = await forkUbuntu(client);
    const answer = await run(client, vm.vm_id, {
      command: "seq 1 100000 | head -c 400000 > /tmp/a && cat /tmp/a /tmp/a /tmp/a > /tmp/b",
    });
    expect(answer.json.exit_code).not.toBe(0);
    expect(answer.json.stderr).toMatch(/no space left/i);
    expect(client.fake.files(vm.vm_id).read("/tmp/a")?.byteLength).toBe(400_000);
    // As in bash, the redirection created (truncated) /tmp/b before the write failed.
    expect(client.fake.files(vm.vm_id).read("/tmp/b")?.byteLength ?? 0).toBe(0);
    const again = await run(client, vm.vm_id, { command: "cp /tmp/a /tmp/c; cp /tmp/a /tmp/d" });
    expect(again.json.stderr).toMatch(/no space left/i);
    expect(client.fake.files(vm.vm_id).exists("/tmp/d")).toBe(false);
  });

  it("a sync write past maxVmBytes answers payload_too_large for that file", async () => {
    const vm = await forkUbuntu(client);
    const content = Buffer.alloc(700_000, 1).toString("base64");
    const write = (path: string) =>
      client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: {
          op: "write",
          writes: [{ path, size: 700_000, upload_id: path, content, start: 0, end: 700_000 }],
        },
      });
    expect((await write("/tmp/one")).json.results[0].written).toBe(true);
    const second = await write("/tmp/two");
    expect(second.json.results[0].error.code).toBe("payload_too_large");
    expect(client.fake.files(vm.vm_id).exists("/tmp/two")).toBe(false);
  });

  it("refuses bad limit options with a clear TypeError", async () => {
    await expect(createFakeArker({ maxCommandMs: -1 })).rejects.toThrow(/maxCommandMs/);
    await expect(createFakeArker({ maxOutputBytes: 1.5 })).rejects.toThrow(/maxOutputBytes/);
    await expect(createFakeArker({ maxVmBytes: Number.NaN })).rejects.toThrow(/maxVmBytes/);
    await expect(createFakeArker({ maxBodyBytes: -5 })).rejects.toThrow(/maxBodyBytes/);
  });
});

/** A raw request whose declared body may never be sent in full. */
function rawPost(
  fake: FakeArker,
  path: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; json: Json }> {
  const { hostname, port } = new URL(fake.url!);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method: "POST", path, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (chunk: Buffer) => parts.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(parts).toString("utf8")),
        }),
      );
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    // The request is left open: a door waiting for the whole body would never answer.
  });
}

describe("request bodies", () => {
  let fake: FakeArker;
  let vmId: string;
  beforeAll(async () => {
    fake = await createFakeArker({ listen: true, python: false, maxBodyBytes: 10_000 });
    const client = await openClient("in-process");
    await client.close();
    const forked = await request(`${fake.url}/v1/fork`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
    });
    vmId = ((await forked.body.json()) as { vm_id: string }).vm_id;
  });
  afterAll(() => fake.close());

  it("without a key: 401 before the body is read", async () => {
    const answer = await rawPost(
      fake,
      `/v1/vms/${vmId}/sync`,
      { "content-type": "application/json", "content-length": String(300 * 1024 * 1024) },
      [Buffer.alloc(64 * 1024, 0x20)],
    );
    expect(answer.status).toBe(401);
  });

  it("a declared Content-Length past the cap: 413 before the body is read", async () => {
    const answer = await rawPost(
      fake,
      `/v1/vms/${vmId}/sync`,
      {
        authorization: `Bearer ${fake.apiKey}`,
        "content-type": "application/json",
        "content-length": String(300 * 1024 * 1024),
      },
      [Buffer.alloc(1024, 0x20)],
    );
    expect(answer.status).toBe(413);
    expect(answer.json.code).toBe("payload_too_large");
  });

  it("a chunked body passing the cap: 413 once it passes, the rest unread", async () => {
    const answer = await rawPost(
      fake,
      `/v1/vms/${vmId}/sync`,
      {
        authorization: `Bearer ${fake.apiKey}`,
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
      [Buffer.alloc(6_000, 0x20), Buffer.alloc(6_000, 0x20)],
    );
    expect(answer.status).toBe(413);
    expect(answer.json.message).toMatch(/10000 bytes/);
  });

  it("through the in-process door too: 413 past the cap", async () => {
    const small = await openClient("in-process", { maxBodyBytes: 1_000 });
    try {
      const vm = await forkUbuntu(small);
      const answer = await small.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
        body: { op: "read", path: `/tmp/${"x".repeat(2_000)}` },
      });
      expect(answer.status).toBe(413);
      expect(answer.json.code).toBe("payload_too_large");
    } finally {
      await small.close();
    }
  });

  it("a body within the cap is served", async () => {
    const answer = await request(`${fake.url}/v1/vms/${vmId}/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ op: "read", path: "/etc/hostname" }),
    });
    expect(answer.statusCode).not.toBe(413);
    await answer.body.dump();
  });
});
