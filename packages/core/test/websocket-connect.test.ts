import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rejection } from "../../../test-support/local-server";
import { ArkerClient, type ArkerClientOptions } from "../src/index";

// `client.connect` against a loopback server that answers the upgrade by hand (no `ws`
// in core): the handshake's headers, refusals as the ArkerError a call would get,
// retries, timeout and abort (websocket-connect.ts was 0 % in mutation testing).
const KEY = "ark_live_socket_0123456789abcdef";
const PTY = { params: { vm_id: "vm_1", session_id: "s_1" } } as const;

/** What the handler does with one upgrade request. */
type Answer =
  | { accept: true; send?: Buffer; wrongKey?: true }
  | {
      status: number;
      body?: string;
      headers?: Record<string, string>;
      /** Sends the body in a write of its own after the head; "partly": half, never ending. */
      late?: "whole" | "partly";
      /** Keeps the connection open after the answer (no `connection: close`). */
      keepAlive?: true;
    }
  | "hang"
  | "drop";

interface Seen {
  url: string;
  headers: IncomingMessage["headers"];
  /** Settles when the client ends its side of this connection (the server's `end`). */
  ended: Promise<void>;
}

const sockets: Socket[] = [];
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(closers.splice(0).map((close) => close()));
});

function refusal(answer: Extract<Answer, { status: number }>) {
  const body = answer.body ?? "";
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    ...(answer.keepAlive ? {} : { connection: "close" }),
    ...answer.headers,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${answer.status} Refused\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

function acceptKey(key: string): string {
  return createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
}

async function setup(answer: (index: number) => Answer, options: Partial<ArkerClientOptions> = {}) {
  const seen: Seen[] = [];
  const server = createServer((_req, res) => res.writeHead(400).end());
  server.on("upgrade", (req: IncomingMessage, socket: Socket) => {
    sockets.push(socket);
    const ended = new Promise<void>((resolve) => socket.once("end", () => resolve()));
    socket.resume();
    seen.push({ url: req.url ?? "", headers: req.headers, ended });
    const what = answer(seen.length - 1);
    if (what === "hang") return;
    if (what === "drop") {
      socket.destroy();
      return;
    }
    if ("accept" in what) {
      const key = what.wrongKey ? "not the key" : String(req.headers["sec-websocket-key"]);
      socket.write(
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n" +
          `sec-websocket-accept: ${acceptKey(key)}\r\n\r\n`,
      );
      // One unmasked binary frame (opcode 2) of a few bytes, as a server sends.
      if (what.send)
        socket.write(Buffer.concat([Buffer.from([0x82, what.send.length]), what.send]));
      return;
    }
    if (what.keepAlive) {
      socket.write(refusal(what));
      return;
    }
    if (!what.late) {
      socket.end(refusal(what));
      return;
    }
    const text = refusal(what);
    const head = text.slice(0, text.indexOf("\r\n\r\n") + 4);
    const body = text.slice(head.length);
    socket.write(head, () =>
      setTimeout(() => {
        if (what.late === "whole") socket.end(body);
        else socket.write(body.slice(0, body.length / 2));
      }, 20),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const client = new ArkerClient({
    apiKey: KEY,
    baseUrl: `http://127.0.0.1:${port}`,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    logLevel: "debug",
    logger: { debug: sink, info: sink, warn: sink, error: sink },
    ...options,
  });
  closers.push(
    () => client.close(),
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { client, seen, lines };
}

function errorBody(code: string, message: string) {
  return JSON.stringify({ code, message });
}

describe("client.connect: an accepted handshake", () => {
  it("opens the socket with the key as a bearer token and the SDK's user-agent", async () => {
    const { client, seen } = await setup(() => ({ accept: true }));
    const socket = await client.connect("openPty", { ...PTY, query: { cols: 80, rows: 24 } });
    expect(socket.readyState).toBe(socket.OPEN);
    socket.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe("/v1/vms/vm_1/sessions/s_1/pty?cols=80&rows=24");
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.headers["user-agent"]).toBe("arker-sdk-typescript");
    expect(seen[0]!.headers.upgrade).toBe("websocket");
  });

  it("sends no Authorization header when the query carries a ticket", async () => {
    const { client, seen, lines } = await setup(() => ({ accept: true }));
    const socket = await client.connect("openPty", { ...PTY, query: { ticket: "tkt_abc" } });
    socket.close();
    expect(seen[0]!.url).toBe("/v1/vms/vm_1/sessions/s_1/pty?ticket=tkt_abc");
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.headers["user-agent"]).toBe("arker-sdk-typescript");
    // The trace names the ws:// URL without its query (the ticket is a secret).
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^arker GET ws:\/\/127\.0\.0\.1:\d+\/v1\/vms\/vm_1\/sessions\/s_1\/pty 101 /,
    );
  });

  it("hands binary frames over as ArrayBuffers", async () => {
    const { client } = await setup(() => ({ accept: true, send: Buffer.from("hi!") }));
    const socket = await client.connect("openPty", PTY);
    const data = await new Promise<unknown>((resolve) =>
      socket.addEventListener("message", (event) => resolve(event.data), { once: true }),
    );
    socket.close();
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(data as ArrayBuffer).toString()).toBe("hi!");
  });

  it("refuses a route that is not a WebSocket route, before connecting", async () => {
    const { client, seen } = await setup(() => ({ accept: true }));
    const error = await rejection(
      client.connect("getVm" as "openPty", { params: { vm_id: "vm_1" } } as typeof PTY),
    );
    expect([error.code, error.status]).toEqual(["bad_request", 400]);
    expect(error.message).toBe("bad_request: getVm is not a WebSocket route");
    expect(seen).toHaveLength(0);
  });
});

describe("client.connect: a refused handshake", () => {
  it("a 401 is the call's unauthorized error, not retried, with its request id and no key", async () => {
    const { client, seen, lines } = await setup(() => ({
      status: 401,
      body: errorBody("unauthorized", `bad key ${KEY}`),
      headers: { "x-request-id": "req_401" },
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status, error.retryable]).toEqual(["unauthorized", 401, false]);
    expect(error.requestId).toBe("req_401");
    expect(error.message).toContain("bad key");
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(lines.join("\n")).not.toContain(KEY);
    // undici's fetch sends a 401'd handshake once more itself (same key): one attempt.
    expect(lines.filter((line) => line.includes("attempt"))).toHaveLength(1);
    expect(lines[0]).toContain("401");
    expect(new Set(seen.map((s) => s.headers["sec-websocket-key"])).size).toBe(1);
  });

  it("a 404 is not_found", async () => {
    const { client } = await setup(() => ({
      status: 404,
      body: errorBody("not_found", "no session s_1"),
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status, error.retryable]).toEqual(["not_found", 404, false]);
    expect(error.message).toBe("not_found: no session s_1");
  });

  it("a 400 is the error of its body, like a call's", async () => {
    const { client } = await setup(() => ({
      status: 400,
      body: errorBody("invalid_argument", "cols out of range"),
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status, error.retryable]).toEqual(["invalid_argument", 400, false]);
  });

  it("a ticket is redacted from a refusal's message along with the key", async () => {
    const { client } = await setup(() => ({
      status: 403,
      body: errorBody("forbidden", `ticket tkt_secret_123 and ${KEY} refused`),
    }));
    const error = await rejection(
      client.connect("openPty", { ...PTY, query: { ticket: "tkt_secret_123" } }),
    );
    expect([error.code, error.status]).toEqual(["forbidden", 403]);
    expect(error.message).not.toContain("tkt_secret_123");
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain("refused");
  });

  it("a 503 is retried, and the next accepted handshake opens", async () => {
    const { client, seen } = await setup((index) =>
      index === 0 ? { status: 503, body: errorBody("unavailable", "busy") } : { accept: true },
    );
    const socket = await client.connect("openPty", PTY);
    socket.close();
    expect(seen).toHaveLength(2);
  });

  it("a 503 on every attempt gives up with the last answer's error", async () => {
    const { client, seen } = await setup(() => ({
      status: 503,
      body: errorBody("unavailable", "still busy"),
      headers: { "x-request-id": "req_503" },
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status, error.retryable]).toEqual(["unavailable", 503, true]);
    expect(error.requestId).toBe("req_503");
    expect(seen).toHaveLength(3);
  });

  it("reads a refusal's JSON body of 4 KiB whole, and cuts a longer one (then unparsed)", async () => {
    const sized = (length: number) => {
      const head = JSON.stringify({ code: "conflict", message: "taken", pad: "" });
      return JSON.stringify({
        code: "conflict",
        message: "taken",
        pad: "x".repeat(length - head.length),
      });
    };
    expect(sized(4096)).toHaveLength(4096);
    const { client } = await setup((index) => ({
      status: 409,
      body: sized(index === 0 ? 4096 : 20_000),
    }));
    const whole = await rejection(client.connect("openPty", PTY));
    expect([whole.code, whole.status, whole.message]).toEqual(["conflict", 409, "conflict: taken"]);
    const cut = await rejection(client.connect("openPty", PTY));
    expect([cut.code, cut.status]).toEqual(["internal", 409]);
    expect(cut.message).toMatch(/^internal: HTTP 409: \{"code":"conflict"/);
  });

  it("a refusal's body sent after its status line still gives its code", async () => {
    const { client } = await setup(() => ({
      status: 401,
      body: errorBody("unauthorized", "bad key"),
      late: "whole",
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status, error.message]).toEqual([
      "unauthorized",
      401,
      "unauthorized: bad key",
    ]);
  });

  // An attempt's timeout far past the test's 5 s bound: a refusal passed on only when
  // the connection closes would hang this test instead of passing late.
  it("a refusal on a connection the server keeps open is passed on at its body's end", {
    timeout: 5_000,
  }, async () => {
    const { client } = await setup(() => ({
      status: 404,
      body: errorBody("not_found", "no session"),
      keepAlive: true,
    }));
    const error = await rejection(client.connect("openPty", PTY, { timeoutMs: 600_000 }));
    expect([error.code, error.status]).toEqual(["not_found", 404]);
  });

  // An attempt's timeout far past the test's 5 s bound: waiting for the rest of a long
  // body would hang this test instead of passing late.
  it("gives up on a refusal's body that never ends once 4 KiB of it came", {
    timeout: 5_000,
  }, async () => {
    const body = JSON.stringify({ code: "conflict", message: "taken", pad: "x".repeat(20_000) });
    const { client } = await setup(() => ({ status: 409, body, late: "partly" }));
    const error = await rejection(client.connect("openPty", PTY, { timeoutMs: 600_000 }));
    expect([error.code, error.status]).toEqual(["internal", 409]);
    expect(error.message).toMatch(/^internal: HTTP 409: \{"code":"conflict"/);
  });

  it("a 3xx is an unexpected answer, not followed", async () => {
    const { client, seen } = await setup(() => ({
      status: 302,
      headers: { location: "http://elsewhere.example/x" },
    }));
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.status]).toEqual(["internal", 302]);
    expect(error.message).toContain("does not follow redirects");
    expect(seen).toHaveLength(1);
  });
});

describe("client.connect: no answer", () => {
  it("times each attempt out after timeoutMs as a retried network_error", async () => {
    const { client, seen } = await setup(() => "hang");
    const error = await rejection(client.connect("openPty", PTY, { timeoutMs: 50 }));
    expect([error.code, error.status, error.retryable]).toEqual(["network_error", 0, true]);
    expect(error.message).toContain("connect timed out after 50 ms");
    expect(seen).toHaveLength(3);
  });

  it("a 101 with a wrong accept key is a retried network error, not a refusal", async () => {
    const { client, seen } = await setup((index) =>
      index === 0 ? { accept: true, wrongKey: true } : { accept: true },
    );
    const socket = await client.connect("openPty", PTY);
    socket.close();
    expect(seen).toHaveLength(2);
  });

  it("a connection closed during the handshake is a retried network error", async () => {
    const { client, seen } = await setup((index) => (index < 2 ? "drop" : { accept: true }));
    const socket = await client.connect("openPty", PTY);
    socket.close();
    expect(seen).toHaveLength(3);
  });

  // An attempt's timeout far past the test's 5 s bound: an attempt that ignored the
  // signal would hang this test instead of passing late.
  it("stops at once when the caller's signal fires, without another attempt", {
    timeout: 5_000,
  }, async () => {
    const { client, seen } = await setup(() => "hang");
    const controller = new AbortController();
    const pending = rejection(
      client.connect("openPty", PTY, { signal: controller.signal, timeoutMs: 600_000 }),
    );
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("user gave up"));
    const error = await pending;
    expect([error.code, error.retryable]).toEqual(["aborted", false]);
    expect(seen).toHaveLength(1);
  });

  it("a connection closed during every handshake fails with that reason", async () => {
    const { client, seen } = await setup(() => "drop");
    const error = await rejection(client.connect("openPty", PTY));
    expect([error.code, error.retryable]).toEqual(["network_error", true]);
    expect(error.message).toBe("network_error: Error: the connection closed during the handshake");
    expect(seen).toHaveLength(3);
  });

  // Node's http server keeps an upgraded socket half-open (allowHalfOpen), so its
  // `close` never comes by itself: the client's FIN is the server's `end`. The test's
  // 5 s bound fails an attempt that leaves its connection open.
  it("an aborted handshake ends its connection at once, without the server's answer", {
    timeout: 5_000,
  }, async () => {
    const { client, seen } = await setup(() => "hang");
    const controller = new AbortController();
    const pending = rejection(
      client.connect("openPty", PTY, { signal: controller.signal, timeoutMs: 600_000 }),
    );
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("user gave up"));
    expect((await pending).code).toBe("aborted");
    await seen[0]!.ended;
  });

  it("a timed-out handshake ends its connection, without the server's answer", {
    timeout: 5_000,
  }, async () => {
    const { client, seen } = await setup(() => "hang", { retry: { attempts: 1 } });
    const error = await rejection(client.connect("openPty", PTY, { timeoutMs: 50 }));
    expect(error.message).toContain("connect timed out after 50 ms");
    await seen[0]!.ended;
  });

  it("a refused connection (nothing listening) is a network_error", async () => {
    const client = new ArkerClient({
      apiKey: KEY,
      baseUrl: "http://127.0.0.1:1",
      retry: { attempts: 1 },
      logLevel: "off",
    });
    closers.push(() => client.close());
    const error = await rejection(client.connect("openPty", PTY));
    expect(error.code).toBe("network_error");
    expect(error.message).not.toContain(KEY);
  });
});
