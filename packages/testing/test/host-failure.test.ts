import { afterEach, describe, expect, it } from "vitest";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  type Json,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function open(kind: DoorKind, options: Parameters<typeof openClient>[1] = {}) {
  client = await openClient(kind, options);
  return client;
}

const getRun = async (c: RawClient, vmId: string, runId: string): Promise<Json> =>
  (await c.call("GET", `/v1/vms/${vmId}/runs/${runId}`)).json;

/** Waits until the fake holds `count` runs of the VM (a request in flight has arrived). */
async function untilRunCount(c: RawClient, vmId: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const runs = (await c.call("GET", `/v1/vms/${vmId}/runs`)).json.runs as unknown[];
    if (runs.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the fake never held ${count} runs of ${vmId}`);
}

describe.each<DoorKind>(["in-process", "http"])(
  "host failure of a non-durable VM through the %s door",
  (kind) => {
    it("ends its runs failed with host_failed and exit 137, readable afterwards", async () => {
      const c = await open(kind);
      const vm = await forkUbuntu(c);
      const parked = await run(c, vm.vm_id, { command: "sleep 3600", background: true });
      const queued = await run(c, vm.vm_id, { command: "echo never", background: true });
      const waiting = await run(c, vm.vm_id, { command: "echo before", session_idx: 0 });
      expect(waiting.status).toBe(202);
      const failed = await c.call("POST", `/_fake/fail-host/${vm.vm_id}`);
      expect(failed.status).toBe(200);
      for (const runId of [parked.json.run_id, queued.json.run_id, waiting.json.run_id]) {
        expect(await getRun(c, vm.vm_id, runId)).toMatchObject({
          state: "failed",
          fail_reason: "host_failed",
          exit_code: 137,
          completed_at: "2025-01-01T00:00:30.000Z",
        });
      }
      const listed = await c.call("GET", `/v1/vms/${vm.vm_id}/runs?state=failed`);
      expect(listed.json.runs).toHaveLength(3);
      const snapshot = c.fake.vms.find((candidate) => candidate.vm_id === vm.vm_id);
      expect(snapshot?.state).toBe("failed");
    });

    it("reads as state failed and answers 409 conflict naming it to anything needing a host", async () => {
      const c = await open(kind);
      const vm = await forkUbuntu(c);
      c.fake.failHost(vm.vm_id);
      const got = await c.call("GET", `/v1/vms/${vm.vm_id}`);
      expect(got.status).toBe(200);
      expect(got.json.state).toBe("failed");
      const failedOnly = await c.call("GET", "/v1/vms?state=failed");
      expect(failedOnly.json.vms.map((v: Json) => v.vm_id)).toEqual([vm.vm_id]);
      const base = `/v1/vms/${vm.vm_id}`;
      const filesystem = await c.call("POST", "/v1/filesystems", { body: { name: "fs" } });
      const refused = [
        await run(c, vm.vm_id, { command: "echo hi" }),
        await run(c, vm.vm_id, { command: "echo hi", background: true }),
        await c.call("POST", `${base}/sync`, {
          body: { op: "write", writes: [{ path: "/tmp/a", content: "x" }] },
        }),
        await c.call("POST", `${base}/sync`, { body: { op: "read", path: "/etc/hostname" } }),
        await c.call("POST", `${base}/sync-file?path=%2Ftmp%2Fa&size=1&upload_id=upl_a`, {
          rawBody: "x",
          headers: { "content-type": "application/octet-stream" },
        }),
        await c.call("POST", `${base}/sessions`, { body: {} }),
        await c.call("POST", `${base}/resize`, { body: { vcpu_count: 4 } }),
        await c.call("POST", `${base}/syncs`, {
          body: { filesystem_id: filesystem.json.filesystem_id, path: "/mnt/fs" },
        }),
        await c.call("POST", "/v1/fork", { body: { source_vm_id: vm.vm_id } }),
      ];
      for (const response of refused) {
        expectError(response, 409, "conflict");
        expect(response.json.message).toContain(`vm ${vm.vm_id} is failed`);
      }
      const deleted = await c.call("DELETE", base);
      expect(deleted.status).toBe(200);
      expectError(await c.call("GET", base), 404, "not_found");
    });

    it("answers a foreground run waiting in its window as failed with host_failed", async () => {
      const c = await open(kind, { clock: "manual" });
      const vm = await forkUbuntu(c);
      await run(c, vm.vm_id, { command: "sleep 100", background: true });
      const pending = run(c, vm.vm_id, { command: "echo queued" });
      await untilRunCount(c, vm.vm_id, 2);
      c.fake.failHost(vm.vm_id);
      const response = await pending;
      expect(response.status).toBe(202);
      expect(await getRun(c, vm.vm_id, response.json.run_id)).toMatchObject({
        state: "failed",
        fail_reason: "host_failed",
      });
    });

    it("changes nothing when the host of a failed VM fails again", async () => {
      const c = await open(kind);
      const vm = await forkUbuntu(c);
      c.fake.failHost(vm.vm_id);
      const again = await c.call("POST", `/_fake/fail-host/${vm.vm_id}`);
      expect(again.status).toBe(200);
      expect((await c.call("GET", `/v1/vms/${vm.vm_id}`)).json.state).toBe("failed");
    });
  },
);
