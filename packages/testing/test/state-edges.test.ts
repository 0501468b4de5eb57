import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError, forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

/**
 * Engine and control rules the suite left unexercised: session targeting, the default
 * session after its deletion, mounting over `/`, PTY query checks and tickets of a
 * deleted VM, `failHost` of an unknown VM, and bad `commands.on` calls and argv quoting.
 */

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { clock: "manual" });
});
afterEach(async () => {
  await client.close();
});

describe("sessions", () => {
  it("refuses a run naming a session by id and a different index", async () => {
    const vm = await forkUbuntu(client);
    const created = await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    const answer = await run(client, vm.vm_id, {
      command: "true",
      session_id: created.json.session_id,
      session_idx: created.json.session_idx + 1,
    });
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe("session_id and session_idx name different sessions");
    const agreeing = await run(client, vm.vm_id, {
      command: "true",
      session_id: created.json.session_id,
      session_idx: created.json.session_idx,
    });
    expect(agreeing.json.session_id).toBe(created.json.session_id);
  });

  it("recreates the default session (index 0) fresh after it was deleted", async () => {
    const vm = await forkUbuntu(client);
    await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    const first = await run(client, vm.vm_id, { command: "cd /tmp && export A=1" });
    const deleted = await client.call(
      "DELETE",
      `/v1/vms/${vm.vm_id}/sessions/${first.json.session_id}`,
    );
    expect(deleted.json).toEqual({ deleted: true });
    const again = await run(client, vm.vm_id, { command: 'pwd; echo "[$A]"' });
    expect(again.json.stdout).toBe("/home/user\n[]\n");
    expect(again.json.session_id).not.toBe(first.json.session_id);
    const sessions = (await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.sessions;
    // The VM lists its sessions by index, the recreated index 0 first.
    expect(sessions.map((session: { session_idx: number }) => session.session_idx)).toEqual([0, 1]);
  });
});

describe("mounts", () => {
  it("refuses to mount a filesystem over /", async () => {
    const fs = (await client.call("POST", "/v1/filesystems", { body: { name: "root" } })).json;
    const vm = await forkUbuntu(client);
    const answer = await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
      body: { filesystem_id: fs.filesystem_id, path: "/" },
    });
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe("cannot mount over /");
  });
});

describe("mounts by name", () => {
  it("mounting by filesystem_name takes the org's newest filesystem of that name", async () => {
    const older = (await client.call("POST", "/v1/filesystems", { body: { name: "cache" } })).json;
    const newer = (await client.call("POST", "/v1/filesystems", { body: { name: "cache" } })).json;
    expect(newer.filesystem_id).not.toBe(older.filesystem_id);
    await client.call("POST", "/v1/filesystems", { body: { name: "other" } });
    const vm = await forkUbuntu(client);
    const mounted = await client.call("POST", `/v1/vms/${vm.vm_id}/syncs`, {
      body: { filesystem_name: "cache", path: "/mnt/c" },
    });
    expect(mounted.status).toBe(200);
    expect(mounted.json.filesystem_id).toBe(newer.filesystem_id);
  });
});

describe("PTY route", () => {
  const ptyPath = async (vmId: string) => {
    const created = await client.call("POST", `/v1/vms/${vmId}/sessions`, { body: {} });
    return `/v1/vms/${vmId}/sessions/${created.json.session_id}/pty`;
  };

  it.each([
    ["cols=wide", "cols must be an integer"],
    ["rows=1.5", "rows must be an integer"],
    ["persist=maybe", "persist must be true or false"],
  ])("refuses ?%s with 400", async (query, message) => {
    const vm = await forkUbuntu(client);
    const answer = await client.call("GET", `${await ptyPath(vm.vm_id)}?${query}`);
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe(message);
  });

  it("a ticket of a deleted VM is no longer known", async () => {
    const vm = await forkUbuntu(client);
    const path = await ptyPath(vm.vm_id);
    const ticket = (await client.call("POST", `${path}-ticket`)).json.ticket;
    await client.call("DELETE", `/v1/vms/${vm.vm_id}`);
    const answer = await client.call("GET", `${path}?ticket=${ticket}`, { key: null });
    expectError(answer, 401, "unauthorized");
    expect(answer.json.message).toBe("unknown or expired PTY ticket");
  });
});

describe("JS controls", () => {
  it("failHost of an unknown VM throws naming it", () => {
    expect(() => client.fake.failHost("vm_missing")).toThrow("failHost: no VM vm_missing");
  });

  it("commands.on refuses a matcher or a handler of the wrong type", () => {
    const on = client.fake.commands.on.bind(client.fake.commands) as (
      matcher: unknown,
      handler: unknown,
    ) => unknown;
    expect(() => on(5, () => ({}))).toThrow(
      new TypeError("commands.on: matcher must be a string, a RegExp or a function"),
    );
    expect(() => on("x", "not a function")).toThrow(
      new TypeError("commands.on: handler must be a function"),
    );
  });

  it("splits argv with backslash escapes inside double quotes and outside quotes", async () => {
    const vm = await forkUbuntu(client);
    const seen: string[][] = [];
    client.fake.commands.on(/^say/, (context) => {
      seen.push(context.argv);
      return {};
    });
    await run(client, vm.vm_id, { command: 'say "a \\"b\\" \\\\" c\\ d \'e\\f\'' });
    await run(client, vm.vm_id, { command: "say x\\" });
    await run(client, vm.vm_id, { command: 'say "y\\' });
    await run(client, vm.vm_id, { command: "say \\  z" });
    expect(seen).toEqual([
      ["say", 'a "b" \\', "c d", "e\\f"],
      ["say", "x\\"],
      ["say", "y\\"],
      ["say", " ", "z"],
    ]);
  });
});
