import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

// The request rules of the test controls under /_fake, field by field: what each control
// takes, and the 400 naming the field for what it does not.
describe.each<DoorKind>(["in-process", "http"])("control requests through the %s door", (kind) => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient(kind);
  });
  afterEach(async () => {
    await client.close();
  });

  /** Expects a 400 whose message is `message` (a string exactly, a RegExp matching). */
  async function refused(path: string, body: unknown, message: string | RegExp) {
    const answer = await client.call("POST", path, { body });
    expectError(answer, 400, "bad_request");
    if (typeof message === "string")
      expect(answer.json.message, JSON.stringify(body)).toBe(message);
    else expect(answer.json.message, JSON.stringify(body)).toMatch(message);
  }

  it("adds a fault with its method, path, times and probability taken from the body", async () => {
    const effect = { type: "respond", status: 418, code: "teapot" };
    const added = await client.call("POST", "/_fake/faults", {
      body: { method: "get", path: "/v1/health", times: 1, probability: 1, effect },
    });
    expect(added.json).toEqual({ id: "fault_1" });
    expect(client.fake.faults.list()).toEqual([
      { method: "get", path: "/v1/health", times: 1, probability: 1, effect, id: "fault_1" },
    ]);
    expect((await client.call("POST", "/v1/health", { key: null, body: {} })).status).toBe(404);
    expect((await client.call("GET", "/v1/health", { key: null })).status).toBe(418);
    expect((await client.call("GET", "/v1/health", { key: null })).status).toBe(200);
    const loose = await client.call("POST", "/_fake/faults", {
      body: { path: null, times: "2", probability: "0", effect },
    });
    expect(loose.status).toBe(200);
    expect(client.fake.faults.list()).toEqual([{ effect, id: "fault_2" }]);
    expect((await client.call("DELETE", "/_fake/faults")).json).toEqual({ cleared: true });
    expect(client.fake.faults.list()).toEqual([]);
    await refused("/_fake/faults", { path: 5, effect }, "path must be a glob string");
    await refused("/_fake/faults", { effect: { ...effect, status: 99 } }, /integer status/);
  });

  it("adds orgs by name or with a generated one, and refuses a name that is not a non-empty string", async () => {
    expect(
      (await client.call("POST", "/_fake/orgs", { body: { name: "org_named" } })).json.org_id,
    ).toBe("org_named");
    for (const body of [{}, { name: null }]) {
      const added = await client.call("POST", "/_fake/orgs", { body });
      expect(added.status, JSON.stringify(body)).toBe(200);
      expect(added.json.org_id).not.toBe("");
      expect(added.json.api_key).toMatch(/^ark_test_/);
    }
    await refused("/_fake/orgs", { name: "" }, "name must be a non-empty string");
    await refused("/_fake/orgs", { name: 5 }, "name must be a non-empty string");
  });

  it("revokes a key, tells an unknown one, and refuses a key that is not a string", async () => {
    const org = client.fake.addOrg("org_revoked");
    const revoke = (api_key: unknown) =>
      client.call("POST", "/_fake/revoke-key", { body: { api_key } });
    expect((await revoke("ark_test_unknown")).json).toEqual({ revoked: false });
    expect((await revoke(org.apiKey)).json).toEqual({ revoked: true });
    await refused("/_fake/revoke-key", { api_key: 5 }, "api_key must be a string");
  });

  it("registers command stubs with their exit code and output, and refuses bad fields", async () => {
    const vm = await forkUbuntu(client);
    const stub = await client.call("POST", "/_fake/commands", {
      body: { match: { regex: "^hi" }, exitCode: 3, stdout: "stubbed\n", stderr: "err\n" },
    });
    expect(stub.json).toEqual({ registered: true });
    expect((await run(client, vm.vm_id, { command: "hi there" })).json).toMatchObject({
      exit_code: 3,
      stdout: "stubbed\n",
      stderr: "err\n",
    });
    expect((await run(client, vm.vm_id, { command: "echo hi" })).json.stdout).toBe("hi\n");
    const plain = await client.call("POST", "/_fake/commands", { body: { match: "whoami" } });
    expect(plain.status).toBe(200);
    expect((await run(client, vm.vm_id, { command: "whoami" })).json).toMatchObject({
      exit_code: 0,
      stdout: "",
    });
    expect((await client.call("DELETE", "/_fake/commands")).json).toEqual({ cleared: true });
    expect((await run(client, vm.vm_id, { command: "hi" })).json.exit_code).not.toBe(3);
    const longest = await client.call("POST", "/_fake/commands", {
      body: { match: { regex: "a".repeat(1000) } },
    });
    expect(longest.status).toBe(200);
    const path = "/_fake/commands";
    await refused(path, { match: 5 }, "match must be a string or { regex }");
    await refused(path, { match: { regex: 5 } }, "match must be a string or { regex }");
    await refused(path, { match: { regex: "a".repeat(1001) } }, /longer than 1000 characters/);
    await refused(path, { match: { regex: "(" } }, /RE2 can run: /);
    await refused(path, { match: "x", exitCode: 1.5 }, "exitCode must be an integer");
    await refused(path, { match: "x", durationMs: -1 }, "durationMs must be ≥ 0");
    await refused(path, { match: "x", durationMs: "5" }, "durationMs must be ≥ 0");
  });

  it("fails the host of a known VM only, and advances the clock by a number ≥ 0 only", async () => {
    const failed = await client.call("POST", "/_fake/fail-host/vm_nope");
    expectError(failed, 404, "not_found");
    expect(failed.json.message).toBe("vm not found: vm_nope");
    const vm = await forkUbuntu(client);
    expect((await client.call("POST", `/_fake/fail-host/${vm.vm_id}`)).json).toEqual({
      failed: true,
    });
    expect((await client.call("POST", "/_fake/clock/advance", { body: { ms: 0 } })).status).toBe(
      200,
    );
    await refused("/_fake/clock/advance", { ms: "5" }, "ms must be a number ≥ 0");
    await refused("/_fake/clock/advance", {}, "ms must be a number ≥ 0");
    expect((await client.call("POST", "/_fake/reset")).json).toEqual({ reset: true });
  });
});
