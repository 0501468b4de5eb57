import { SIGNAL_NAMES } from "@arker-ai/core/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acceptsBytes } from "../src/routes/file-routes.js";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

// The API routes' own request rules (what a handler checks beyond the body's field
// types), each with the exact message a client shows.
describe.each<DoorKind>(["in-process", "http"])(
  "route request rules through the %s door",
  (kind) => {
    let client: RawClient;
    let vmId: string;
    beforeEach(async () => {
      client = await openClient(kind);
      vmId = (await forkUbuntu(client)).vm_id;
    });
    afterEach(async () => {
      await client.close();
    });

    /** Expects a 400 with exactly `message`. */
    async function refused(method: string, path: string, body: unknown, message: string) {
      const answer = await client.call(method, path, { body });
      expectError(answer, 400, "bad_request");
      expect(answer.json.message, JSON.stringify(body)).toBe(message);
    }

    it("forks from exactly one source", async () => {
      const message = "give exactly one of source_vm_id and source_vm_name";
      await refused("POST", "/v1/fork", {}, message);
      await refused("POST", "/v1/fork", { source_vm_id: vmId, source_vm_name: "ubuntu" }, message);
      const forked = await client.call("POST", "/v1/fork", { body: { source_vm_id: vmId } });
      expect(forked.status).toBe(200);
    });

    it("resizes with at least one size, by either route", async () => {
      await refused(
        "POST",
        `/v1/vms/${vmId}/resize`,
        {},
        "give at least one of vcpu_count, memory_mib, disk_mib",
      );
      const patch = `/v1/vms/${vmId}`;
      await refused("PATCH", patch, {}, "give resources: { vcpu, memory_mib, disk_mib }");
      await refused(
        "PATCH",
        patch,
        { resources: null },
        "give resources: { vcpu, memory_mib, disk_mib }",
      );
      await refused("PATCH", patch, { resources: [1] }, "resources must be an object");
      await refused("PATCH", patch, { resources: "big" }, "resources must be an object");
      await refused(
        "PATCH",
        patch,
        { resources: {} },
        "give at least one of resources.vcpu, memory_mib, disk_mib",
      );
      for (const resources of [{ vcpu: 2 }, { memory_mib: 2048 }, { disk_mib: 20_480 }]) {
        const answer = await client.call("PATCH", patch, { body: { resources } });
        expect(answer.status, JSON.stringify(resources)).toBe(200);
      }
      for (const sizes of [{ vcpu_count: 2 }, { memory_mib: 2048 }, { disk_mib: 20_480 }]) {
        const answer = await client.call("POST", `/v1/vms/${vmId}/resize`, { body: sizes });
        expect(answer.json, JSON.stringify(sizes)).toEqual({ resized: true });
      }
    });

    it("runs a command or sends a signal, not both, and refuses an empty command", async () => {
      const runs = `/v1/vms/${vmId}/runs`;
      await refused("POST", runs, { command: "true", session_idx: -1 }, "session_idx must be ≥ 0");
      await refused(
        "POST",
        runs,
        { command: "true", signal: "SIGTERM" },
        "a run request takes a command or a signal, not both",
      );
      await refused(
        "POST",
        runs,
        { signal: "SIGKILLL" },
        `signal must be one of ${SIGNAL_NAMES.join(", ")}; got "SIGKILLL"`,
      );
      await refused("POST", runs, { command: " \t" }, "command must not be empty");
      await refused("POST", runs, {}, "command is required");
      expect((await run(client, vmId, { command: "true", session_idx: 0 })).status).toBe(200);
    });

    it("answers 409 for cancelling a run that already ended", async () => {
      const done = await run(client, vmId, { command: "true" });
      const answer = await client.call("DELETE", `/v1/vms/${vmId}/runs/${done.json.run_id}`);
      expectError(answer, 409, "conflict");
      expect(answer.json.message).toBe(`run ${done.json.run_id} already ended (completed)`);
    });

    it("mounts by exactly one filesystem, names it a path segment, and refuses bad names", async () => {
      const syncs = `/v1/vms/${vmId}/syncs`;
      await refused("POST", syncs, {}, "give exactly one of filesystem_id and filesystem_name");
      await refused(
        "POST",
        syncs,
        { filesystem_id: "fs_1", create_if_missing: true, path: "/x" },
        "create_if_missing needs filesystem_name",
      );
      for (const name of ["a/b", ".", ".."]) {
        await refused(
          "POST",
          syncs,
          { filesystem_name: name, create_if_missing: true },
          `give a path: filesystem name ${JSON.stringify(name)} is not a path segment`,
        );
      }
      for (const name of [" ", "n".repeat(256)]) {
        await refused(
          "POST",
          syncs,
          { filesystem_name: name, create_if_missing: true, path: "/x" },
          "filesystem_name must be 1-255 characters",
        );
      }
      const longest = await client.call("POST", syncs, {
        body: { filesystem_name: "n".repeat(255), create_if_missing: true, path: "/x" },
      });
      expect(longest.status).toBe(200);
      const absent = await client.call("POST", syncs, {
        body: { filesystem_name: "absent", path: "/x" },
      });
      expectError(absent, 404, "not_found");
      expect(absent.json.message).toBe("filesystem not found: absent");
      const created = await client.call("POST", "/v1/filesystems", { body: { name: "byid" } });
      const byId = await client.call("POST", syncs, {
        body: { filesystem_id: created.json.filesystem_id },
      });
      expect(byId.json.path).toBe("/mnt/byid");
      const listed = await client.call(
        "GET",
        `${syncs}?filesystem_id=${created.json.filesystem_id}`,
      );
      expect(listed.json.syncs.map((sync: { sync_id: string }) => sync.sync_id)).toEqual([
        byId.json.sync_id,
      ]);
      expect((await client.call("GET", syncs)).json.syncs).toHaveLength(2);
    });

    it("names filesystems with 1-255 characters", async () => {
      for (const name of [" ", "n".repeat(256)]) {
        await refused("POST", "/v1/filesystems", { name }, "name must be 1-255 characters");
      }
      const longest = await client.call("POST", "/v1/filesystems", {
        body: { name: "n".repeat(255) },
      });
      expect(longest.status).toBe(200);
    });

    it("opens tunnels of a listed visibility and protocol, naming the choices", async () => {
      const tunnels = `/v1/vms/${vmId}/tunnels`;
      await refused(
        "POST",
        tunnels,
        { port: 80, visibility: "world" },
        'visibility must be public or private; got "world"',
      );
      await refused(
        "POST",
        tunnels,
        { port: 80, protocol: "udp" },
        'protocol must be http or tcp; got "udp"',
      );
    });

    it("syncs files with op read or write only", async () => {
      const sync = `/v1/vms/${vmId}/sync`;
      await refused("POST", sync, {}, 'op must be "read" or "write", got null');
      await refused("POST", sync, { op: "delete" }, 'op must be "read" or "write", got "delete"');
    });
  },
);

describe("acceptsBytes", () => {
  it("wants application/octet-stream listed with a quality above 0", () => {
    for (const accept of [
      "application/octet-stream",
      "application/json, Application/Octet-Stream",
      "application/octet-stream;q=0.1",
      "application/octet-stream; charset=x; q=1",
    ]) {
      expect(acceptsBytes(accept), accept).toBe(true);
    }
    for (const accept of [
      "",
      "*/*",
      "application/*",
      "application/json",
      "application/octet-stream;q=0",
    ]) {
      expect(acceptsBytes(accept), accept).toBe(false);
    }
  });
});
