import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpDoor } from "../src/doors/http-door.js";
import { HostPolicy } from "../src/http/host-policy.js";
import { jsonResponse } from "../src/http/http-types.js";
import { StubPipeline } from "./stub-pipeline.js";

// The listening door over a stub pipeline: what it hands the pipeline (head, body, origin,
// the cap), what it writes back, and how it refuses hosts, origins and resets.

const doors: HttpDoor[] = [];
afterEach(async () => {
  for (const door of doors.splice(0)) await door.close();
});

async function start(
  options: { host?: string; maxBodyBytes?: number; allowed?: string[] } = {},
): Promise<{ door: HttpDoor; pipeline: StubPipeline; port: number }> {
  const pipeline = new StubPipeline({ "x-answer": "yes" });
  const host = options.host ?? "127.0.0.1";
  const door = await HttpDoor.start(pipeline, {
    host: options.host,
    hosts: new HostPolicy(host, options.allowed ?? []),
    maxBodyBytes: options.maxBodyBytes ?? 16,
  });
  doors.push(door);
  return { door, pipeline, port: Number(new URL(door.url).port) };
}

/** Writes `text` (or chunks, one per tick) on a fresh connection; reads until it closes. */
function exchange(port: number, ...parts: Array<string | Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((wait) => setTimeout(wait, 10));
      }
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}

const bodyOf = (answer: string) => answer.slice(answer.indexOf("\r\n\r\n") + 4);
const text = (bytes: Uint8Array | null) =>
  bytes === null ? null : Buffer.from(bytes).toString("latin1");

describe("start", () => {
  it("listens on loopback by default and names it in its url", async () => {
    const pipeline = new StubPipeline({ "x-answer": "yes" });
    const door = await HttpDoor.start(pipeline, {
      hosts: new HostPolicy("127.0.0.1", []),
      maxBodyBytes: 16,
    });
    doors.push(door);
    expect(door.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(door.url).port)).toBeGreaterThan(0);
  });

  it("names the wildcard host as 127.0.0.1, and an IPv6 host in brackets", async () => {
    const wildcard = await start({ host: "0.0.0.0" });
    expect(wildcard.door.url).toBe(`http://127.0.0.1:${wildcard.port}`);
    const v6 = await start({ host: "::1" });
    expect(v6.door.url).toBe(`http://[::1]:${v6.port}`);
  });

  it("rejects when the port is taken", async () => {
    const { port } = await start();
    await expect(
      HttpDoor.start(new StubPipeline({ "x-answer": "yes" }), {
        port,
        hosts: new HostPolicy("127.0.0.1", []),
        maxBodyBytes: 16,
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("requests", () => {
  it("hands the pipeline the head, the body with its declared length, and the origin of its Host", async () => {
    const { pipeline, port } = await start();
    const answer = await exchange(
      port,
      "POST /v1/x?q=1 HTTP/1.1\r\nHost: localhost:1\r\nX-Two: a\r\nContent-Length: 5\r\n" +
        "Connection: close\r\n\r\nhello",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nx-answer: yes\r\n/i);
    expect(answer).toMatch(/\r\ncontent-length: 11\r\n/i);
    expect(bodyOf(answer)).toBe('{"ok":true}');
    const [request] = pipeline.requests;
    expect(request).toMatchObject({ method: "POST", target: "/v1/x?q=1" });
    expect(request!.headers).toMatchObject({ host: "localhost:1", "x-two": "a" });
    expect(text(request!.body)).toBe("hello");
    expect(request!.bodyTooLarge).toBeUndefined();
    expect(request!.origin).toBe(`http://localhost:${port}`);
    expect(pipeline.heads[0]).toEqual({
      method: "POST",
      target: "/v1/x?q=1",
      headers: request!.headers,
    });
  });

  it("names an IPv6 Host in brackets in the origin, and uses its own url without a Host", async () => {
    const { door, pipeline, port } = await start({ allowed: ["::1"] });
    await exchange(port, "GET / HTTP/1.1\r\nHost: [::1]:9\r\nConnection: close\r\n\r\n");
    expect(pipeline.requests[0]!.origin).toBe(`http://[::1]:${port}`);
    await exchange(port, "GET / HTTP/1.0\r\n\r\n");
    expect(pipeline.requests[1]!.origin).toBe(door.url);
  });

  it("joins a repeated set-cookie header with a comma", async () => {
    const { pipeline, port } = await start();
    await exchange(
      port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: close\r\n\r\n",
    );
    expect(pipeline.requests[0]!.headers["set-cookie"]).toBe("a=1, b=2");
  });

  it("reads a chunked body whole, and an empty or zero-length body as none", async () => {
    const { pipeline, port } = await start();
    const head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    await exchange(
      port,
      `${head}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`,
      "4\r\ndefg\r\n",
      "0\r\n\r\n",
    );
    await exchange(port, `${head}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    await exchange(port, `${head}Content-Length: 0\r\n\r\n`);
    expect(pipeline.requests.map((request) => [text(request.body), request.bodyTooLarge])).toEqual([
      ["abcdefg", undefined],
      [null, undefined],
      [null, undefined],
    ]);
  });

  it("reads a declared body that arrives in several chunks", async () => {
    const { pipeline, port } = await start();
    await exchange(
      port,
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 10\r\n\r\nabc",
      "defg",
      "hij",
    );
    expect(text(pipeline.requests[0]!.body)).toBe("abcdefghij");
  });

  it("marks a body past the cap (declared or streamed) without handing it over", async () => {
    const { pipeline, port } = await start({ maxBodyBytes: 8 });
    const head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    const declared = await exchange(port, `${head}Content-Length: 9\r\n\r\n123456789`);
    expect(declared).toMatch(/^HTTP\/1\.1 200 /);
    await exchange(
      port,
      `${head}Transfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n`,
      "4\r\n6789\r\n",
      "0\r\n\r\n",
    );
    const exact = await exchange(port, `${head}Content-Length: 8\r\n\r\n12345678`);
    expect(exact).toMatch(/^HTTP\/1\.1 200 /);
    await exchange(
      port,
      `${head}Transfer-Encoding: chunked\r\n\r\n4\r\n1234\r\n`,
      "4\r\n5678\r\n",
      "0\r\n\r\n",
    );
    expect(pipeline.requests.map((request) => [text(request.body), request.bodyTooLarge])).toEqual([
      [null, 8],
      [null, 8],
      ["12345678", undefined],
      ["12345678", undefined],
    ]);
  });

  it("reads no body the pipeline does not want, and still answers the caller writing it", async () => {
    const { pipeline, port } = await start();
    pipeline.wants = false;
    const answer = await exchange(
      port,
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 6\r\n\r\nabc",
      "def",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(pipeline.requests[0]!.body).toBeNull();
    expect(pipeline.requests[0]!.bodyTooLarge).toBeUndefined();
  });

  it("sends a HEAD answer's length without its body", async () => {
    const { port } = await start();
    const answer = await exchange(
      port,
      "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expect(answer).toMatch(/\r\ncontent-length: 11\r\n/i);
    expect(bodyOf(answer)).toBe("");
  });

  it("closes the connection without an answer on a reset, and when the pipeline fails", async () => {
    const { pipeline, port } = await start();
    pipeline.answer = () => ({ type: "reset" });
    const request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    expect(await exchange(port, request)).toBe("");
    pipeline.answer = () => Promise.reject(new Error("bug"));
    expect(await exchange(port, request)).toBe("");
    expect(pipeline.requests).toHaveLength(2);
  });

  it("refuses a Host it does not serve before the pipeline sees anything", async () => {
    const { pipeline, port } = await start();
    const host = `evil.example${"x".repeat(300)}`;
    const answer = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    const body = bodyOf(answer);
    expect(answer).toContain(`\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`);
    expect(JSON.parse(body)).toEqual({
      code: "forbidden",
      message: `Host ${JSON.stringify(host.slice(0, 200))} is not served: the fake answers localhost, 127.0.0.1, [::1], the host it binds and its allowedHosts`,
    });
    expect(pipeline.heads).toHaveLength(0);
    expect(pipeline.requests).toHaveLength(0);
  });
});

describe("upgrades", () => {
  const upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";

  it("refuse a Host or an Origin not served, naming it", async () => {
    const { pipeline, port } = await start();
    const host = `evil${"h".repeat(300)}`;
    const byHost = await exchange(port, `GET /pty HTTP/1.1\r\nHost: ${host}\r\n${upgrade}\r\n`);
    expect(byHost).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(JSON.parse(bodyOf(byHost))).toEqual({
      code: "forbidden",
      message: `Host ${JSON.stringify(host.slice(0, 200))} is not served`,
    });
    const origin = `http://evil${"o".repeat(300)}`;
    const byOrigin = await exchange(
      port,
      `GET /pty HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${origin}\r\n${upgrade}\r\n`,
    );
    expect(byOrigin).toMatch(/^HTTP\/1\.1 403 /);
    expect(byOrigin).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    expect(JSON.parse(bodyOf(byOrigin))).toEqual({
      code: "forbidden",
      message: `Origin ${JSON.stringify(origin.slice(0, 200))} may not open a terminal on the fake`,
    });
    expect(pipeline.requests).toHaveLength(0);
  });

  it("hand the pipeline the upgrade with a served Origin, and send a plain answer back", async () => {
    const { pipeline, port } = await start();
    pipeline.answer = () => ({
      type: "response",
      response: jsonResponse(401, { code: "unauthorized" }),
    });
    const answer = await exchange(
      port,
      `GET /pty?t=1 HTTP/1.1\r\nHost: localhost:3\r\nOrigin: http://localhost:3\r\n${upgrade}\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/);
    expect(JSON.parse(bodyOf(answer))).toEqual({ code: "unauthorized" });
    expect(pipeline.requests[0]).toMatchObject({
      method: "GET",
      target: "/pty?t=1",
      body: null,
      origin: `http://localhost:${port}`,
      upgrade: "websocket",
    });
    expect(pipeline.requests[0]!.headers.origin).toBe("http://localhost:3");
  });

  it("close the connection on a reset and when the pipeline fails", async () => {
    const { pipeline, port } = await start();
    const request = `GET /pty HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgrade}\r\n`;
    pipeline.answer = () => ({ type: "reset" });
    expect(await exchange(port, request)).toBe("");
    pipeline.answer = () => Promise.reject(new Error("bug"));
    expect(await exchange(port, request)).toBe("");
    expect(pipeline.requests).toHaveLength(2);
  });

  it("use the door's own url as the origin without a Host", async () => {
    const { door, pipeline, port } = await start();
    pipeline.answer = () => ({ type: "response", response: jsonResponse(400, {}) });
    await exchange(port, `GET /pty HTTP/1.0\r\n${upgrade}\r\n`);
    expect(pipeline.requests[0]!.origin).toBe(door.url);
  });
});

describe("close", () => {
  it("closes open keep-alive connections", async () => {
    const { door, port } = await start();
    doors.splice(doors.indexOf(door), 1);
    const closed = new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
      );
      const chunks: Buffer[] = [];
      socket.on("data", (chunk) => {
        chunks.push(chunk);
        void door.close();
      });
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    });
    expect(await closed).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("ends an idle keep-alive connection when it resolves, not at the 5 s keep-alive timeout, and stops listening", async () => {
    const { door, port } = await start();
    doors.splice(doors.indexOf(door), 1);
    let ended = false;
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
      );
      socket.once("data", () => resolve());
      socket.on("close", () => {
        ended = true;
      });
    });
    await door.close();
    // The client sees the end a moment after the server destroys its side.
    for (let turn = 0; turn < 50 && !ended; turn++) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toBe(true);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => resolve("connected"));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });
});
