import { connect } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeArker, type FakeArker } from "../src/index.js";
import { PtyTestClient } from "./pty-client.js";

let fake: FakeArker | undefined;
const clients: PtyTestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fake?.close();
  fake = undefined;
});

interface Target {
  fake: FakeArker;
  vmId: string;
  sessionId: string;
  url: (query?: string) => string;
  auth: Record<string, string>;
}

async function target(options: Parameters<typeof createFakeArker>[0] = {}): Promise<Target> {
  fake = await createFakeArker({ listen: true, clock: "auto", ...options });
  const auth = { authorization: `Bearer ${fake.apiKey}` };
  const call = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${fake!.url}${path}`, {
      method,
      headers: { ...auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, string>;
  };
  const vm = await call("POST", "/v1/fork", {
    source_vm_name: "ubuntu-full",
    source_org_id: "ArkerHQ",
  });
  const session = await call("POST", `/v1/vms/${vm.vm_id}/sessions`, {});
  const ws = fake.url!.replace(/^http/, "ws");
  return {
    fake,
    vmId: vm.vm_id!,
    sessionId: session.session_id!,
    auth,
    url: (query = "") => `${ws}/v1/vms/${vm.vm_id}/sessions/${session.session_id}/pty${query}`,
  };
}

async function open(url: string, headers: Record<string, string>): Promise<PtyTestClient> {
  const client = await PtyTestClient.open(url, headers);
  clients.push(client);
  return client;
}

async function refused(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  try {
    const client = await open(url, headers);
    client.close();
  } catch (error) {
    return error as { status: number; body: string };
  }
  throw new Error("the upgrade was accepted");
}

describe("the fake's PTY over the listening door", () => {
  it("shows a prompt, echoes keys, erases with backspace and runs the line", async () => {
    const t = await target();
    const pty = await open(t.url("?cols=80&rows=24"), t.auth);
    await pty.waitFor("user@");
    expect(pty.output).toMatch(/user@[\w-]+:~\$ $/);
    pty.type("echo helo");
    await pty.waitFor("echo helo");
    pty.type("\u007flo world\r");
    await pty.waitFor("\r\nhello world\r\n");
    expect(pty.output).toContain("echo helo\b \blo world\r\n");
    await pty.waitFor("$ ", pty.output.indexOf("hello world\r\n"));
  });

  it("shares the session's cwd and env with runs", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("mkdir -p /tmp/w && cd /tmp/w && export GREETING=hi\r");
    await pty.waitFor("/tmp/w$ ");
    const response = await fetch(`${t.fake.url}/v1/vms/${t.vmId}/runs`, {
      method: "POST",
      headers: { ...t.auth, "content-type": "application/json" },
      body: JSON.stringify({ command: "pwd; echo $GREETING", session_id: t.sessionId }),
    });
    expect(((await response.json()) as { stdout: string }).stdout).toBe("/tmp/w\nhi\n");
  });

  it("streams a loop's lines one by one on the auto clock", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    const start = t.fake.clock.now();
    pty.type("for i in 1 2 3; do echo line$i; sleep 1; done; echo done\r");
    await pty.waitFor("\r\ndone\r\n");
    expect(pty.output).toMatch(/line1\r\nline2\r\nline3\r\ndone\r\n/);
    expect(t.fake.clock.now() - start).toBeGreaterThanOrEqual(3000);
  });

  it("Ctrl-C interrupts the running command (exit 130) and gives the prompt back", async () => {
    const t = await target({ clock: "manual" });
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("sleep 1000; echo never\r");
    await pty.waitFor("sleep 1000; echo never\r\n");
    const mark = pty.output.length;
    pty.type("\u0003");
    await pty.waitFor("$ ", mark);
    pty.type("echo $?\r");
    await pty.waitFor("130\r\n", mark);
    expect(pty.output.slice(mark)).not.toContain("never");
  });

  it("ends with exit's code, and Ctrl-D ends with the last status", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("exit 7\r");
    await pty.waitClosed();
    expect(pty.exit).toBe(7);
    expect(pty.closed?.code).toBe(1000);
    const again = await open(t.url(), t.auth);
    await again.waitFor("$ ");
    again.type("false\r");
    await again.waitFor("false\r\n");
    await again.waitFor("$ ", again.output.indexOf("false\r\n"));
    again.type("\u0004");
    await again.waitClosed();
    expect(again.exit).toBe(1);
  });

  it("reports the size through stty size, $COLUMNS and $LINES after a resize", async () => {
    const t = await target();
    const pty = await open(t.url("?cols=100&rows=30"), t.auth);
    await pty.waitFor("$ ");
    pty.type("stty size\r");
    await pty.waitFor("30 100\r\n");
    pty.control({ type: "resize", cols: 132, rows: 5000 });
    pty.type("stty size; echo $COLUMNS x $LINES; tput cols\r");
    await pty.waitFor("1000 132\r\n132 x 1000\r\n132\r\n");
  });

  it("a reattaching client's size replaces the shell's", async () => {
    const t = await target();
    const first = await open(t.url("?cols=100&rows=30"), t.auth);
    await first.waitFor("$ ");
    first.close();
    await first.waitClosed();
    const second = await open(t.url("?cols=120&rows=40"), t.auth);
    second.type("stty size\r");
    await second.waitFor("40 120\r\n");
  });

  it("a command= terminal is not the session's shell: a plain open starts a new one", async () => {
    const t = await target({ clock: "manual" });
    const command = await open(t.url("?command=sleep%2030"), t.auth);
    const shell = await open(t.url(), t.auth);
    await shell.waitFor("$ ");
    expect(command.closed).toBeUndefined();
  });

  it("a command= terminal runs its command even while the session's shell is open", async () => {
    const t = await target();
    const shell = await open(t.url("?persist=true"), t.auth);
    await shell.waitFor("$ ");
    const pty = await open(t.url(`?command=${encodeURIComponent("exit 4")}`), t.auth);
    await pty.waitClosed();
    expect(pty.exit).toBe(4);
    expect(shell.closed).toBeUndefined();
  });

  it("gives a terminal line TERM=xterm-256color, as a terminal emulator would", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("echo term=$TERM\r");
    await pty.waitFor("\r\nterm=xterm-256color\r\n");
  });

  it("command= runs one command, streams it and closes with its exit code", async () => {
    const t = await target();
    const command = encodeURIComponent("echo out; echo err >&2; exit 3");
    const pty = await open(t.url(`?command=${command}`), t.auth);
    await pty.waitClosed();
    expect(pty.output).toBe("out\r\nerr\r\n");
    expect(pty.exit).toBe(3);
  });

  it("kill closes the terminal (137)", async () => {
    const t = await target({ clock: "manual" });
    const pty = await open(t.url(`?command=${encodeURIComponent("sleep 100")}`), t.auth);
    pty.control({ type: "kill" });
    await pty.waitClosed();
    expect(pty.exit).toBe(137);
  });

  it("persist=true lets a client reattach to the same shell; persist=false ends the session", async () => {
    const t = await target();
    const first = await open(t.url("?persist=true"), t.auth);
    await first.waitFor("$ ");
    first.type("cd /tmp\r");
    await first.waitFor("/tmp$ ");
    first.close();
    await first.waitClosed();
    const second = await open(t.url("?persist=true"), t.auth);
    await second.waitFor("/tmp$ ");
    second.type("echo back\r");
    await second.waitFor("back\r\n");
    second.close();
    const third = await open(t.url("?persist=false"), t.auth);
    await third.waitFor("$ ");
    third.close();
    await third.waitClosed();
    const session = await fetch(`${t.fake.url}/v1/vms/${t.vmId}/sessions/${t.sessionId}`, {
      headers: t.auth,
    });
    await expect
      .poll(
        async () =>
          (
            await fetch(`${t.fake.url}/v1/vms/${t.vmId}/sessions/${t.sessionId}`, {
              headers: t.auth,
            })
          ).status,
        { timeout: 2000 },
      )
      .toBe(404);
    expect([200, 404]).toContain(session.status);
  });

  it("accepts a ticket instead of the key until it expires, for its own session only", async () => {
    const t = await target({ clock: "manual" });
    const answer = await fetch(
      `${t.fake.url}/v1/vms/${t.vmId}/sessions/${t.sessionId}/pty-ticket`,
      {
        method: "POST",
        headers: t.auth,
      },
    );
    const { ticket } = (await answer.json()) as { ticket: string };
    const pty = await open(t.url(`?ticket=${ticket}`), {});
    await pty.waitFor("$ ");
    pty.close();
    const otherSession = t.url().replace(t.sessionId, "sess_other");
    expect((await refused(`${otherSession}?ticket=${ticket}`, {})).status).toBe(401);
    await t.fake.clock.advance(300_000);
    expect((await refused(t.url(`?ticket=${ticket}`), {})).status).toBe(401);
    expect((await refused(t.url("?ticket=ptyt_forged"), {})).status).toBe(401);
  });

  it("refuses a missing key, another org, a foreign Origin or Host, and a plain GET", async () => {
    const t = await target();
    expect((await refused(t.url(), {})).status).toBe(401);
    const other = t.fake.addOrg("org_other");
    expect((await refused(t.url(), { authorization: `Bearer ${other.apiKey}` })).status).toBe(404);
    const page = await refused(t.url(), { ...t.auth, origin: "https://evil.example" });
    expect(page.status).toBe(403);
    expect(page.body).toContain("Origin");
    expect((await refused(t.url(), { ...t.auth, host: "evil.example" })).status).toBe(403);
    const sameOrigin = await open(t.url(), { ...t.auth, origin: t.fake.url! });
    await sameOrigin.waitFor("$ ");
    const plain = await fetch(t.url().replace(/^ws/, "http"), { headers: t.auth });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { message: string }).message).toContain("WebSocket");
  });

  it("a line typed after the VM's host failed ends the shell (137)", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    t.fake.failHost(t.vmId);
    pty.type("echo still here\r");
    await pty.waitClosed();
    expect(pty.exit).toBe(137);
    expect(pty.output).toContain("host of");
    expect(pty.output).not.toContain("\r\nstill here\r\n");
  });

  it("ends the terminal when its session is deleted", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    await fetch(`${t.fake.url}/v1/vms/${t.vmId}/sessions/${t.sessionId}`, {
      method: "DELETE",
      headers: t.auth,
    });
    await pty.waitClosed();
    expect(pty.exit).toBe(137);
  });
});

describe("terminals end with their VM or a reset", () => {
  it("deleting the VM ends its terminal (137)", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    await fetch(`${t.fake.url}/v1/vms/${t.vmId}`, { method: "DELETE", headers: t.auth });
    await pty.waitClosed();
    expect(pty.exit).toBe(137);
  });

  it("fake.reset() ends every terminal (137)", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    t.fake.reset();
    await pty.waitClosed();
    expect(pty.exit).toBe(137);
  });
});

describe("the fake's PTY through the in-process door", () => {
  it("answers an upgrade 501 not_implemented naming the listening door", async () => {
    fake = await createFakeArker({ clock: "manual" });
    const dispatcher = fake.dispatcher!;
    const forked = await request(`${fake.baseUrl}/v1/fork`, {
      dispatcher,
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ source_vm_name: "ubuntu-full", source_org_id: "ArkerHQ" }),
    });
    const vm = (await forked.body.json()) as {
      vm_id: string;
      sessions: Array<{ session_id: string }>;
    };
    const sessionId = vm.sessions[0]!.session_id;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let status = 0;
      let body = "";
      dispatcher.dispatch(
        {
          origin: fake!.baseUrl,
          method: "GET",
          path: `/v1/vms/${vm.vm_id}/sessions/${sessionId}/pty`,
          headers: { authorization: `Bearer ${fake!.apiKey}` },
          upgrade: "websocket",
        },
        {
          onRequestStart: () => undefined,
          onResponseStart: (_controller, statusCode) => {
            status = statusCode;
          },
          onResponseData: (_controller, chunk) => {
            body += chunk.toString();
          },
          onResponseEnd: () => resolve({ status, body }),
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
    expect(answer.status).toBe(501);
    expect(answer.body).toContain("listen: true");
  });
});

describe("the PTY socket's edges", () => {
  it("a second client on a persistent terminal replaces the first (close 4000)", async () => {
    const t = await target();
    const first = await open(t.url("?persist=true"), t.auth);
    await first.waitFor("$ ");
    const second = await open(t.url("?persist=true"), t.auth);
    await first.waitClosed();
    expect(first.closed).toEqual({ code: 4000, reason: "another client attached" });
    second.type("echo still here\r");
    await second.waitFor("still here\r\n");
  });

  it("ignores text messages that are not control messages, then takes a resize", async () => {
    const t = await target();
    const pty = await open(t.url("?cols=80&rows=24"), t.auth);
    await pty.waitFor("$ ");
    for (const junk of ["not json", "null", "[1]", "5", '{"type":5}', '{"type":"other"}'])
      pty.socket.send(junk);
    pty.control({ type: "resize", cols: 90, rows: 20 });
    pty.type("stty size\r");
    await pty.waitFor("20 90\r\n");
    expect(pty.closed).toBeUndefined();
  });

  it("closes a connection that sends a frame over 1 MiB with 1009 (message too big)", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.socket.send(Buffer.alloc(1024 * 1024 + 1, 0x61), { binary: true });
    await pty.waitClosed();
    expect(pty.closed?.code).toBe(1009);
  });

  it("a refused upgrade with a status it has no text for is sent as '<status> Error'", async () => {
    const t = await target();
    const path = `/v1/vms/${t.vmId}/sessions/${t.sessionId}/pty`;
    t.fake.faults.add({
      path,
      effect: { type: "respond", status: 418, code: "teapot", message: "short and stout" },
    });
    const { port } = new URL(t.fake.url!);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${t.auth.authorization}\r\n` +
            "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        ),
      );
      const chunks: Buffer[] = [];
      socket.on("data", (chunk) => chunks.push(chunk));
      socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
      socket.on("error", reject);
    });
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 418 Error");
    expect(answer.slice(answer.indexOf("\r\n\r\n") + 4)).toBe(
      JSON.stringify({ code: "teapot", message: "short and stout" }),
    );
  });
});

describe("terminal commands and stubs in a terminal", () => {
  it("stty without size, -a and other settings, tput lines and unknown capabilities", async () => {
    const t = await target();
    const pty = await open(t.url("?cols=100&rows=30"), t.auth);
    await pty.waitFor("$ ");
    const from = pty.output.length;
    pty.type("stty; stty -a; stty raw; echo rc=$?; tput lines; tput bogus; echo rc=$?\r");
    await pty.waitFor("rc=1\r\n", from);
    expect(pty.output.slice(pty.output.indexOf("\r\n", from) + 2)).toMatch(
      /^speed 38400 baud; rows 30; columns 100; line = 0;\r\nspeed 38400 baud; rows 30; columns 100; line = 0;\r\nrc=0\r\n30\r\ntput: unknown capability 'bogus'\r\nrc=1\r\n/,
    );
  });

  it("appends to a file from a terminal line like any shell", async () => {
    const t = await target();
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("echo one >> /tmp/f; echo two >> /tmp/f; cat /tmp/f\r");
    await pty.waitFor("one\r\ntwo\r\n");
    expect(new TextDecoder().decode(t.fake.files(t.vmId).read("/tmp/f"))).toBe("one\ntwo\n");
  });

  it("a stubbed command typed in a terminal writes its output there and sets $?", async () => {
    const t = await target();
    t.fake.commands.on("hello", () => ({
      stdout: "stubbed out\n",
      stderr: "stubbed err\n",
      exitCode: 4,
    }));
    const pty = await open(t.url(), t.auth);
    await pty.waitFor("$ ");
    pty.type("hello\r");
    await pty.waitFor("stubbed out\r\nstubbed err\r\n");
    const from = pty.output.length;
    pty.type("echo status=$?\r");
    await pty.waitFor("status=4\r\n", from);
  });
});
