import { afterEach, describe, expect, it } from "vitest";
import { SessionStore } from "../src/stores/session-store.js";
import { EngineClock } from "../src/support/clock.js";
import { IdFactory } from "../src/support/ids.js";
import { SeededRandom } from "../src/support/random.js";
import { Sequence } from "../src/support/sequence.js";
import { type DoorKind, expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe.each<DoorKind>(["in-process", "http"])("PTY tickets through the %s door", (kind) => {
  it("issues a fresh secret ticket per call for a session of the caller's VM", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const session = (await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} })).json;
    const path = `/v1/vms/${vm.vm_id}/sessions/${session.session_id}/pty-ticket`;
    const first = await client.call("POST", path);
    const second = await client.call("POST", path);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ticket: expect.stringMatching(/^ptyt_\w{32}$/), expires_in: 300 });
    expect(second.json.ticket).not.toBe(first.json.ticket);
    expect(JSON.stringify(client.fake.requests)).not.toContain(first.json.ticket);
  });

  it("answers 404 for another org's VM, an unknown session and without a key 401", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const session = (await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} })).json;
    const path = `/v1/vms/${vm.vm_id}/sessions/${session.session_id}/pty-ticket`;
    const other = client.fake.addOrg("org_other");
    expectError(await client.call("POST", path, { key: other.apiKey }), 404, "not_found");
    expectError(
      await client.call("POST", `/v1/vms/${vm.vm_id}/sessions/sess_missing/pty-ticket`),
      404,
      "not_found",
    );
    expectError(await client.call("POST", path, { key: null }), 401, "unauthorized");
  });
});

describe("the session store's PTY tickets", () => {
  it("open their session for 300 s of fake time and go with the session", async () => {
    const clock = new EngineClock(0, "manual");
    const ids = new IdFactory(new SeededRandom(1, "ids"), () => clock.now());
    const store = new SessionStore({ clock, ids, sequence: new Sequence() });
    const vm = { id: "vm_1" } as Parameters<SessionStore["create"]>[0];
    const session = store.create(vm, {}, "/home/user");
    const ticket = store.issuePtyTicket(session, "org_1").ticket;
    expect(store.ptyTicket(ticket)).toMatchObject({ sessionId: session.id, vmId: "vm_1" });
    await clock.advance(299_999);
    expect(store.ptyTicket(ticket)).toBeDefined();
    await clock.advance(1);
    expect(store.ptyTicket(ticket)).toBeUndefined();
    const other = store.issuePtyTicket(session, "org_1").ticket;
    store.remove(session);
    expect(store.ptyTicket(other)).toBeUndefined();
  });
});
