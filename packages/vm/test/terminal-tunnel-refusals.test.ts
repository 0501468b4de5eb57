import { ArkerClient } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";
import { ptyQuery } from "../src/resources/pty";
import { signalRequest } from "../src/resources/signals";
import { createTunnelRequest } from "../src/resources/tunnels";
import { badRequestMessage } from "./bad-request-message";

// Refusals of signals, tunnels, terminals and writeFiles name what was wrong, and come
// before anything is sent (found by mutation testing: TESTING.md).
const clients: ArkerClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await cleanup();
});

/** A VM handle whose client points at a closed port: any request is a network_error. */
function offlineVm() {
  const client = new ArkerClient({
    apiKey: "ark_live_test_key",
    baseUrl: "http://127.0.0.1:9",
    logLevel: "off",
    retry: { attempts: 1 },
  });
  clients.push(client);
  return new VmClient(client).vm("vm_1");
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error.code).toBe("bad_request");
  return error.message;
}

describe("signal refusals", () => {
  it("name the call, the signals allowed and the session id", () => {
    expect(badRequestMessage(() => signalRequest("SIGINT", { x: 1 } as never))).toBe(
      "bad_request: signal: unknown option x",
    );
    expect(badRequestMessage(() => signalRequest("SIGFOO" as never))).toBe(
      "bad_request: signal must be one of SIGHUP, SIGINT, SIGKILL, SIGTERM; got SIGFOO",
    );
    expect(badRequestMessage(() => signalRequest("SIGINT", { sessionId: "" }))).toBe(
      "bad_request: sessionId must be a non-empty string",
    );
  });

  it("a malformed acknowledgement is named as one", async () => {
    const { client } = await setup((_req, res) => sendJson(res, 200, { state: 1 }));
    const error = await rejection(new VmClient(client).vm("vm_1").signal("SIGINT"));
    expect(error.message).toBe(
      "internal: malformed response: signal acknowledgement response: state must be string",
    );
  });
});

describe("tunnel refusals", () => {
  it("options that are not an object", () => {
    for (const options of [null, "public"]) {
      expect(badRequestMessage(() => createTunnelRequest(80, options as never))).toBe(
        "bad_request: createTunnel options must be an object",
      );
    }
  });

  it("name the call and the option", async () => {
    expect(badRequestMessage(() => createTunnelRequest(80, { x: 1 } as never))).toBe(
      "bad_request: createTunnel: unknown option x",
    );
    expect(badRequestMessage(() => createTunnelRequest(80, { visibility: "x" } as never))).toBe(
      "bad_request: visibility must be one of public, private; got x",
    );
    expect(badRequestMessage(() => createTunnelRequest(80, { protocol: "x" } as never))).toBe(
      "bad_request: protocol must be one of http, tcp; got x",
    );
    const vm = offlineVm();
    expect(await refusal(vm.listTunnels({ x: 1 } as never))).toBe(
      "bad_request: listTunnels: unknown option x",
    );
    expect(await refusal(vm.getTunnel(80, { x: 1 } as never))).toBe(
      "bad_request: getTunnel: unknown option x",
    );
    expect(await refusal(vm.deleteTunnel(80, { x: 1 } as never))).toBe(
      "bad_request: deleteTunnel: unknown option x",
    );
  });

  it("the body carries protocol and visibility when given", () => {
    expect(createTunnelRequest(80, { protocol: "tcp" })).toEqual({ port: 80, protocol: "tcp" });
    expect(createTunnelRequest(80, { visibility: "public" })).toEqual({
      port: 80,
      visibility: "public",
    });
  });

  it("a malformed tunnel answer is named as one", async () => {
    const { client } = await setup((_req, res) => sendJson(res, 200, { vm_id: "vm_1" }));
    const error = await rejection(new VmClient(client).vm("vm_1").getTunnel(80));
    expect(error.message).toBe(
      "internal: malformed response: tunnel response: port must be number",
    );
  });
});

describe("terminal refusals", () => {
  it("ptyQuery names each option", () => {
    for (const [options, text] of [
      [{ x: 1 }, "pty: unknown option x"],
      [{ cols: 0 }, "cols must be an integer from 1 to 1000; got 0"],
      [{ rows: 0 }, "rows must be an integer from 1 to 1000; got 0"],
      [{ persist: "x" }, "persist must be a boolean"],
      [{ command: "" }, "command must be a non-empty string"],
      [{ ticket: "" }, "ticket must be a non-empty string"],
    ] as const) {
      expect(badRequestMessage(() => ptyQuery({ sessionId: "s", ...options } as never))).toBe(
        `bad_request: ${text}`,
      );
    }
  });

  it("vm.pty without options, or with an empty session id", async () => {
    const vm = offlineVm();
    for (const options of [null, "sess_1"]) {
      expect(await refusal(vm.pty(options as never))).toBe(
        "bad_request: pty needs options with a sessionId",
      );
    }
    expect(await refusal(vm.pty({ sessionId: "" }))).toBe(
      "bad_request: sessionId must be a non-empty string",
    );
  });

  it("vm.spawn names the command, unknown options, and cwd/env with a session", async () => {
    const vm = offlineVm();
    expect(await refusal(vm.spawn(""))).toBe("bad_request: command must be a non-empty string");
    expect(await refusal(vm.spawn("ls", { x: 1 } as never))).toBe(
      "bad_request: spawn: unknown option x",
    );
    for (const extra of [{ cwd: "/" }, { env: { A: "1" } }]) {
      expect(await refusal(vm.spawn("ls", { sessionId: "sess_1", ...extra }))).toBe(
        "bad_request: cwd and env set up a new session: leave them out with sessionId",
      );
    }
  });

  it("vm.spawn in a session checks its terminal size", async () => {
    const vm = offlineVm();
    expect(await refusal(vm.spawn("ls", { sessionId: "sess_1", cols: 0 }))).toBe(
      "bad_request: cols must be an integer from 1 to 1000; got 0",
    );
  });

  it("an aborted signal stops vm.pty and vm.spawn before they connect", async () => {
    const vm = offlineVm();
    const signal = AbortSignal.abort();
    for (const call of [
      vm.pty({ sessionId: "sess_1", signal }),
      vm.spawn("ls", { signal }),
      vm.spawn("ls", { sessionId: "sess_1", signal }),
    ]) {
      expect((await rejection(call)).code).toBe("aborted");
    }
  });
});

describe("writeFiles refusals", () => {
  it("name the call, the entry and the missing data", async () => {
    const vm = offlineVm();
    expect(await refusal(vm.writeFiles([], { x: 1 } as never))).toBe(
      "bad_request: writeFiles: unknown option x",
    );
    for (const entry of [null, "x"]) {
      expect(await refusal(vm.writeFiles([entry as never]))).toBe(
        "bad_request: writeFiles: entry 0 must be an object { path, data }",
      );
    }
    expect(await refusal(vm.writeFiles([{ path: "/a", data: null as never }]))).toBe(
      "bad_request: writeFiles: files[0].data is missing (/a)",
    );
  });
});
