import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { ArkerClient, ArkerError } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { Pty } from "../src/resources/pty-handle";
import { VmClient } from "../src/vm-client";

let fake: FakeArker | undefined;
let client: ArkerClient | undefined;
const open: Pty[] = [];

afterEach(async () => {
  for (const pty of open.splice(0)) pty.close();
  await client?.close();
  await fake?.close();
  fake = undefined;
  client = undefined;
});

async function setUp(clock: "auto" | "manual" = "auto") {
  fake = await createFakeArker({ listen: true, clock });
  client = new ArkerClient({
    ...fake.clientOptions,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const vm = await new VmClient(client).fork("ubuntu-full");
  const session = await vm.createSession();
  return { fake, vm, sessionId: session.session_id };
}

const decoder = new TextDecoder();

/** Reads a terminal's output until `text` shows, at most 3 s. */
async function readUntil(pty: Pty, text: string): Promise<string> {
  let output = "";
  const chunks = pty[Symbol.asyncIterator]();
  const deadline = Date.now() + 3000;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
    });
    const next = await Promise.race([chunks.next(), timedOut]).finally(() => clearTimeout(timer));
    if (next === "timeout" || next.done === true) break;
    output += decoder.decode(next.value);
    if (output.includes(text)) return output;
  }
  throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(output)}`);
}

/** A TCP proxy to the fake whose connections a test can cut (a dropped network). */
async function cuttableProxy(
  target: string,
): Promise<{ url: string; cut: () => void; close: () => Promise<void> }> {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(Number(port), "127.0.0.1");
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  const cut = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut,
    close: () => {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function track(pty: Pty): Pty {
  open.push(pty);
  return pty;
}

describe("vm.pty and vm.spawn against the listening fake", () => {
  it("opens a shell: write keys, read output, resize, and exited has exit's code", async () => {
    const { vm, sessionId } = await setUp();
    const pty = track(await vm.pty({ sessionId, cols: 90, rows: 20 }));
    await readUntil(pty, "$ ");
    pty.write("stty size\r");
    await readUntil(pty, "20 90\r\n");
    pty.resize(100, 30);
    pty.write(new TextEncoder().encode("stty size; exit 4\r"));
    await readUntil(pty, "30 100\r\n");
    expect(await pty.exited).toEqual({ exitCode: 4 });
    const rest: Uint8Array[] = [];
    for await (const chunk of pty) rest.push(chunk);
    expect(() => pty.write("x")).toThrow(/closed/);
  });

  it("spawn streams a loop's lines one by one on the auto clock, then its exit code", async () => {
    const { vm } = await setUp();
    const build = track(await vm.spawn("for i in 1 2 3; do echo $i; sleep 1; done; exit 2"));
    const chunks: string[] = [];
    for await (const chunk of build) chunks.push(decoder.decode(chunk));
    expect(chunks).toEqual(["1\r\n", "2\r\n", "3\r\n"]);
    expect(await build.exited).toEqual({ exitCode: 2 });
    // The session spawn made for itself is gone (persist=false).
    expect((await vm.listSessions()).items).toHaveLength(2);
  });

  it("spawn shows each line as soon as it is written (manual clock: one per second)", async () => {
    const { fake, vm } = await setUp("manual");
    const build = track(await vm.spawn("for i in 1 2 3; do echo $i; sleep 1; done"));
    expect(await readUntil(build, "1\r\n")).toBe("1\r\n");
    await fake.clock.advance(1000);
    expect(await readUntil(build, "2\r\n")).toBe("2\r\n");
    await fake.clock.advance(1000);
    expect(await readUntil(build, "3\r\n")).toBe("3\r\n");
    await fake.clock.advance(1000);
    expect(await build.exited).toEqual({ exitCode: 0 });
  });

  it("spawn in a session shares its cwd; cwd/env with sessionId is bad_request", async () => {
    const { vm, sessionId } = await setUp();
    await vm.run("cd /tmp", { sessionId });
    const pwd = track(await vm.spawn("pwd", { sessionId }));
    expect(await readUntil(pwd, "/tmp\r\n")).toBe("/tmp\r\n");
    expect(await pwd.exited).toEqual({ exitCode: 0 });
    await expect(vm.spawn("pwd", { sessionId, cwd: "/" })).rejects.toMatchObject({
      code: "bad_request",
    });
    const fresh = track(
      await vm.spawn("pwd; echo $GREETING", { cwd: "/etc", env: { GREETING: "hi" } }),
    );
    expect(await readUntil(fresh, "hi\r\n")).toBe("/etc\r\nhi\r\n");
  });

  it("Ctrl-C interrupts a spawned command (130) and kill ends a shell (137)", async () => {
    const { vm, sessionId } = await setUp("manual");
    const long = track(await vm.spawn("sleep 1000"));
    long.write("\u0003");
    expect(await long.exited).toEqual({ exitCode: 130 });
    const shell = track(await vm.pty({ sessionId }));
    await readUntil(shell, "$ ");
    shell.kill();
    expect(await shell.exited).toEqual({ exitCode: 137 });
  });

  it("opens with a ticket instead of the key", async () => {
    const { fake, vm, sessionId } = await setUp();
    const { ticket } = await vm.ptyTicket(sessionId);
    const keyless = new ArkerClient({ apiKey: "ark_live_not_the_key", baseUrl: fake.url });
    try {
      const pty = track(await new VmClient(keyless).vm(vm.id).pty({ sessionId, ticket }));
      await readUntil(pty, "$ ");
    } finally {
      await keyless.close();
    }
  });

  it("a refused connection is the answer's ArkerError; a 503 on connect is retried", async () => {
    const { fake, vm, sessionId } = await setUp();
    await expect(vm.pty({ sessionId: "sess_missing" })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
    fake.faults.add({
      path: "/v1/vms/*/sessions/*/pty",
      times: 2,
      effect: { type: "respond", status: 503, code: "unavailable" },
    });
    const pty = track(await vm.pty({ sessionId }));
    await readUntil(pty, "$ ");
    const attempts = fake.requests.filter((entry) => entry.path.endsWith("/pty"));
    expect(attempts.map((entry) => entry.status)).toEqual([404, 503, 503, 101]);
    const bad = new ArkerClient({ apiKey: "ark_live_wrong", baseUrl: fake.url, retry: false });
    try {
      const error = await new VmClient(bad)
        .vm(vm.id)
        .pty({ sessionId })
        .catch((e: unknown) => e);
      expect(ArkerError.is(error) && error.code).toBe("unauthorized");
      expect(String((error as Error).message)).not.toContain("ark_live_wrong");
    } finally {
      await bad.close();
    }
  });

  it("a dropped connection is a network_error for the reader and for exited", async () => {
    const { fake, vm, sessionId } = await setUp();
    fake.faults.add({ path: "/v1/vms/*/sessions/*/pty", effect: { type: "reset-before" } });
    await expect(vm.pty({ sessionId })).rejects.toMatchObject({ code: "network_error" });
    expect(fake.requests.filter((entry) => entry.path.endsWith("/pty"))).toHaveLength(3);
    fake.faults.clear();
    const proxy = await cuttableProxy(fake.url!);
    const viaProxy = new ArkerClient({ apiKey: fake.apiKey, baseUrl: proxy.url });
    try {
      const pty = track(await new VmClient(viaProxy).vm(vm.id).pty({ sessionId }));
      await readUntil(pty, "$ ");
      proxy.cut();
      await expect(pty.exited).rejects.toMatchObject({ code: "network_error" });
      await expect(readUntil(pty, "never")).rejects.toMatchObject({ code: "network_error" });
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it("checks options before connecting", async () => {
    const { fake, vm, sessionId } = await setUp();
    const before = fake.requests.length;
    for (const options of [
      { sessionId, cols: 0 },
      { sessionId, rows: 1001 },
      { sessionId, cols: 1.5 },
      { sessionId: "" },
      { sessionId, command: "" },
    ]) {
      await expect(vm.pty(options)).rejects.toMatchObject({ code: "bad_request" });
    }
    await expect(vm.spawn("")).rejects.toMatchObject({ code: "bad_request" });
    await expect(vm.pty({ sessionId, colums: 80 } as never)).rejects.toThrow(
      /unknown option colums/,
    );
    await expect(vm.spawn("ls", { session_id: sessionId } as never)).rejects.toThrow(
      /did you mean sessionId/,
    );
    expect(fake.requests.length).toBe(before);
  });
});
