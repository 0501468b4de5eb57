import { ArkerClient, ArkerError } from "@arker-ai/core";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";
import { DEFAULT_MAX_BUFFERED_BYTES, Pty } from "../src/resources/pty-handle";
import { standInSocket } from "./stand-in-socket";

const chunk = (size: number, fill: number) => new Uint8Array(size).fill(fill).buffer;

async function readAll(pty: Pty): Promise<{ chunks: number[]; error: unknown }> {
  const chunks: number[] = [];
  try {
    for await (const piece of pty) chunks.push(piece.byteLength);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

describe("Pty keeps unread output up to maxBufferedBytes", () => {
  it("keeps output up to the cap exactly and closes nothing", async () => {
    const socket = standInSocket();
    const pty = new Pty(socket as never, 10);
    socket.emit("message", chunk(4, 1));
    socket.emit("message", chunk(6, 2));
    expect(socket.closeCodes).toEqual([]);
    socket.emit("message", JSON.stringify({ type: "exit", exit_code: 0 }));
    socket.emit("close");
    expect(await readAll(pty)).toEqual({ chunks: [4, 6], error: undefined });
    await expect(pty.exited).resolves.toEqual({ exitCode: 0 });
  });

  it("one byte past the cap closes the connection; what was kept is read, then payload_too_large", async () => {
    const socket = standInSocket();
    const pty = new Pty(socket as never, 10);
    socket.emit("message", chunk(4, 1));
    socket.emit("message", chunk(6, 2));
    socket.emit("message", chunk(1, 3));
    expect(socket.closeCodes).toEqual([1000]);
    socket.emit("message", chunk(1, 4)); // in flight before the close: dropped, not kept
    socket.emit("close");
    const { chunks, error } = await readAll(pty);
    expect(chunks).toEqual([4, 6]);
    expect(ArkerError.is(error) && error.code).toBe("payload_too_large");
    expect((error as Error).message).toBe(
      "payload_too_large: the terminal's unread output passed maxBufferedBytes (10 bytes): read it as it comes (for await) or raise the limit; the connection was closed",
    );
    await expect(pty.exited).rejects.toBe(error);
  });

  it("output that is read frees its room: a reader that keeps up never reaches the cap", async () => {
    const socket = standInSocket();
    const pty = new Pty(socket as never, 10);
    const iterator = pty[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i += 1) {
      socket.emit("message", chunk(8, i));
      expect((await iterator.next()).value?.byteLength).toBe(8);
    }
    expect(socket.closeCodes).toEqual([]);
  });

  it("defaults to 16 MiB", () => {
    expect(DEFAULT_MAX_BUFFERED_BYTES).toBe(16 * 1024 * 1024);
    const socket = standInSocket();
    new Pty(socket as never);
    socket.emit("message", chunk(DEFAULT_MAX_BUFFERED_BYTES, 0));
    expect(socket.closeCodes).toEqual([]);
    socket.emit("message", chunk(1, 0));
    expect(socket.closeCodes).toEqual([1000]);
  });
});

describe("maxBufferedBytes through vm.pty and vm.spawn (listening fake)", () => {
  const closing: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });

  async function vm() {
    const fake = await createFakeArker({ listen: true, python: false });
    const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
    closing.push(client, fake);
    return { fake, vm: await new VmClient(client).fork("ubuntu") };
  }

  it.each([0, -1, 1.5, "10", Number.NaN])(
    "refuses maxBufferedBytes %s before opening anything",
    async (bad) => {
      const { fake, vm: machine } = await vm();
      const before = fake.requests.length;
      const session = await machine.createSession();
      await expect(
        machine.pty({ sessionId: session.session_id, maxBufferedBytes: bad as number }),
      ).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringContaining("maxBufferedBytes must be a positive integer"),
      });
      await expect(
        machine.spawn("echo hi", { maxBufferedBytes: bad as number }),
      ).rejects.toMatchObject({
        code: "bad_request",
      });
      // Only the session made above reached the fake: spawn made none for its command.
      expect(fake.requests.length).toBe(before + 1);
    },
  );

  it("a spawned command printing more than the cap, unread, ends in payload_too_large after its kept output", async () => {
    const { vm: machine } = await vm();
    const pty = await machine.spawn("for i in 1 2 3 4 5 6 7 8; do echo 0123456789abcdef; done", {
      maxBufferedBytes: 40,
    });
    await expect(pty.exited).rejects.toMatchObject({ code: "payload_too_large" });
    let kept = "";
    const error = await (async () => {
      try {
        for await (const piece of pty) kept += new TextDecoder().decode(piece);
      } catch (caught) {
        return caught;
      }
    })();
    expect(ArkerError.is(error) && error.code).toBe("payload_too_large");
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(40);
    expect(kept.startsWith("0123456789abcdef")).toBe(true);
  });
});
