import { connect, Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpDoor } from "../src/doors/http-door.js";
import { HostPolicy } from "../src/http/host-policy.js";
import type { FakeRequestHandler } from "../src/http/http-types.js";
import { StubPipeline } from "./stub-pipeline.js";

// The listening door on a keep-alive connection: a body it left unread is drained after the
// answer (so the next request is served), for at most 5 s of (fake) time after the answer.

const doors: HttpDoor[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const door of doors.splice(0)) await door.close();
});

async function start(pipeline: FakeRequestHandler): Promise<number> {
  const door = await HttpDoor.start(pipeline, {
    hosts: new HostPolicy("127.0.0.1", []),
    maxBodyBytes: 16,
  });
  doors.push(door);
  return Number(new URL(door.url).port);
}

/** A keep-alive connection that counts the answers it has read. */
interface Connection {
  write(text: string): void;
  /** Resolves once `count` answers have arrived, or the connection closed. */
  answers(count: number): Promise<{ count: number; closed: boolean }>;
  closed: Promise<void>;
}

function open(port: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let text = "";
    let isClosed = false;
    const waiters: Array<() => void> = [];
    const wake = () => {
      for (const waiter of waiters.splice(0)) waiter();
    };
    const count = () => text.split("HTTP/1.1 200 ").length - 1;
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      wake();
    });
    const closed = new Promise<void>((done) =>
      socket.on("close", () => {
        isClosed = true;
        wake();
        done();
      }),
    );
    socket.on("error", () => undefined);
    socket.once("connect", () =>
      resolve({
        write: (part) => socket.write(part),
        closed,
        answers: async (wanted) => {
          while (count() < wanted && !isClosed) await new Promise<void>((r) => waiters.push(r));
          return { count: count(), closed: isClosed };
        },
      }),
    );
    socket.once("error", reject);
  });
}

const HEAD = "POST /one HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
/** A chunk of 64 KiB: past the 16-byte cap, and past the request stream's own buffer. */
const BIG_CHUNK = `10000\r\n${"x".repeat(0x10000)}\r\n`;
const NEXT = "GET /two HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

describe("a streamed body past the cap, on a keep-alive connection", () => {
  it("is drained after the answer, and the next request on the connection is served", async () => {
    const pipeline = new StubPipeline();
    const connection = await open(await start(pipeline));
    connection.write(HEAD + BIG_CHUNK);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    connection.write(BIG_CHUNK + BIG_CHUNK);
    connection.write(`0\r\n\r\n${NEXT}`);
    expect(await connection.answers(2)).toEqual({ count: 2, closed: false });
    expect(pipeline.requests.map((request) => request.target)).toEqual(["/one", "/two"]);
  });

  it("costs the connection when it is still arriving 5 s after the answer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pipeline = new StubPipeline();
    const connection = await open(await start(pipeline));
    connection.write(HEAD + BIG_CHUNK);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    expect(vi.getTimerCount()).toBe(1);
    // The server's side is destroyed by the timer itself (the server's own 5 s keep-alive
    // timeout, on the real clock, would end the connection a little later).
    const destroy = vi.spyOn(Socket.prototype, "destroy");
    vi.advanceTimersByTime(4_999);
    expect(destroy).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(destroy).toHaveBeenCalledTimes(1);
    await connection.closed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps the connection once the body has ended, its timer cleared", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pipeline = new StubPipeline();
    const connection = await open(await start(pipeline));
    connection.write(HEAD + BIG_CHUNK);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    connection.write(`0\r\n\r\n${NEXT}`);
    expect(await connection.answers(2)).toEqual({ count: 2, closed: false });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    connection.write(NEXT);
    expect(await connection.answers(3)).toEqual({ count: 3, closed: false });
  });

  it("does not keep the process alive: the drain timer is unref'd", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    const connection = await open(await start(new StubPipeline()));
    connection.write(HEAD + BIG_CHUNK);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    const drains = spy.mock.calls.flatMap((call, index) =>
      call[1] === 5_000 ? [spy.mock.results[index]!.value as NodeJS.Timeout] : [],
    );
    expect(drains).toHaveLength(1);
    expect(drains[0]!.hasRef()).toBe(false);
  });
});

describe("a body the pipeline does not want, on a keep-alive connection", () => {
  it("gets the same 5 s after the answer to arrive", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pipeline = new StubPipeline();
    pipeline.wants = false;
    const connection = await open(await start(pipeline));
    connection.write(HEAD + BIG_CHUNK);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    expect(vi.getTimerCount()).toBe(1);
    const destroy = vi.spyOn(Socket.prototype, "destroy");
    vi.advanceTimersByTime(5_000);
    expect(destroy).toHaveBeenCalledTimes(1);
    await connection.closed;
  });

  it("a body that fits and is read starts no drain timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pipeline = new StubPipeline();
    const connection = await open(await start(pipeline));
    connection.write(`${HEAD}3\r\nabc\r\n0\r\n\r\n`);
    expect(await connection.answers(1)).toEqual({ count: 1, closed: false });
    expect(vi.getTimerCount()).toBe(0);
  });
});
