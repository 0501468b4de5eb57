import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";

// Errors built from the fields of a 2xx answer are redacted like every other message
// (issue 13, finding 3): a server echoing the Authorization header leaks nothing.

afterEach(cleanup);

const KEY = "ark_live_test_key";

async function vmAnswering(results: (auth: string) => unknown[]) {
  const ctx = await setup((req, res) =>
    sendJson(res, 200, {
      ok: true,
      op: "write",
      results: results(String(req.headers.authorization)),
    }),
  );
  return new VmClient(ctx.client).vm("vm_1");
}

describe("sync answers echoing the key", () => {
  it("a per-entry error message echoing the Authorization header is redacted", async () => {
    const vm = await vmAnswering((auth) => [
      { path: "/f", size: 1, error: { code: "forbidden", message: `not for ${auth}` } },
    ]);
    const error = await rejection(vm.writeFile("/f", "x"));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("forbidden: not for Bearer [REDACTED]");
  });

  it("a result path echoing the key does not reach the 'did not complete' message", async () => {
    const vm = await vmAnswering((auth) => [
      { path: auth, size: 1, received_bytes: 1, complete: true, written: false },
    ]);
    const error = await rejection(vm.writeFile("/f", "x"));
    expect(error.code).toBe("internal");
    expect(error.message).not.toContain(KEY);
  });
});

describe("answers whose enum fields echo the key", () => {
  it("an unknown run output encoding is named without echoing the value", async () => {
    const ctx = await setup((req, res) =>
      sendJson(res, 200, {
        run_id: "run_1",
        state: "completed",
        exit_code: 0,
        stdout: "x",
        stdout_encoding: String(req.headers.authorization),
      }),
    );
    const error = await rejection(new VmClient(ctx.client).vm("vm_1").run("true"));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("stdout_encoding");
    expect(error.message).not.toContain(KEY);
  });

  it("an unknown file read encoding is named without echoing the value, a short one is shown", async () => {
    const ctx = await setup((req, res, index) =>
      sendJson(res, 200, {
        ok: true,
        op: "read",
        path: "/f",
        size: 2,
        content: "ab",
        encoding: index === 0 ? String(req.headers.authorization) : "latin1",
      }),
    );
    const vm = new VmClient(ctx.client).vm("vm_1");
    const echoed = await rejection(vm.readFile("/f"));
    expect(echoed.code).toBe("internal");
    expect(echoed.message).not.toContain(KEY);
    const short = await rejection(vm.readFile("/f"));
    expect(short.message).toContain('"latin1"');
  });
});

describe("a malformed answer names what it was an answer to", () => {
  it("mount, session, pty ticket, VM, forked VM, sessions list", async () => {
    const ctx = await setup((_req, res) => sendJson(res, 200, {}));
    const vms = new VmClient(ctx.client);
    const vm = vms.vm("vm_1");
    for (const [call, message] of [
      [() => vm.getSync("sync_1"), "mount response: sync_id"],
      [() => vm.getSession("sess_1"), "session response: session_id"],
      [() => vm.ptyTicket("sess_1"), "pty ticket response: ticket"],
      [() => vm.get(), "VM response: vm_id"],
      [() => vms.fork("base"), "forked VM response: vm_id"],
    ] as Array<[() => Promise<unknown>, string]>) {
      const error = await rejection(call());
      expect(error.code).toBe("internal");
      expect(error.message).toContain(`malformed response: ${message}`);
    }
  });
});
