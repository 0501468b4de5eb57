import { ArkerError } from "@arker-ai/core";
import { describe, expect, it } from "vitest";
import { Pty } from "../src/resources/pty-handle";
import { badRequestMessage } from "./bad-request-message";
import { standInSocket } from "./stand-in-socket";

// The Pty handle over a stand-in socket, so each message and close can be scripted
// (found by mutation testing: TESTING.md).

function open() {
  const socket = standInSocket();
  return { socket, pty: new Pty(socket as never) };
}

const bytes = (text: string) => new TextEncoder().encode(text).buffer;

describe("Pty over a stand-in socket", () => {
  it("takes the exit code only from an exit message; other text leaves it alone", async () => {
    const { socket, pty } = open();
    socket.emit("message", JSON.stringify({ type: "exit", exit_code: 3 }));
    socket.emit("message", JSON.stringify({ type: "resize", exit_code: 9 }));
    socket.emit("message", "not json");
    socket.emit("close");
    await expect(pty.exited).resolves.toEqual({ exitCode: 3 });
  });

  it("does not take a non-exit message's exit_code as the exit code", async () => {
    const { socket, pty } = open();
    socket.emit("message", JSON.stringify({ type: "status", exit_code: 0 }));
    pty.close();
    socket.emit("close");
    const error = await pty.exited.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ArkerError.is(error) && error.code).toBe("aborted");
  });

  it("close() before the process ended: exited rejects with aborted, the reader just ends", async () => {
    const { socket, pty } = open();
    socket.emit("message", bytes("partial"));
    pty.close();
    expect(socket.closeCalls).toBe(1);
    socket.emit("close");
    await expect(pty.exited).rejects.toMatchObject({
      code: "aborted",
      message: "aborted: the terminal was closed before its process ended",
    });
    const chunks: string[] = [];
    for await (const chunk of pty) chunks.push(new TextDecoder().decode(chunk));
    expect(chunks).toEqual(["partial"]);
  });

  it("a close it did not ask for is a retryable network_error for exited and the reader", async () => {
    const { socket, pty } = open();
    socket.emit("close");
    const error = await pty.exited.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ArkerError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: "network_error",
      message: "network_error: the terminal's connection closed before its process ended",
      retryable: true,
    });
    await expect(pty[Symbol.asyncIterator]().next()).rejects.toBe(error);
  });

  it("close() once the terminal closed sends nothing more", () => {
    const { socket, pty } = open();
    socket.emit("message", JSON.stringify({ type: "exit", exit_code: 0 }));
    socket.emit("close");
    pty.close();
    expect(socket.closeCalls).toBe(0);
  });

  it("write, resize and kill refuse once the socket is no longer open, or after close", () => {
    const closing = open();
    closing.socket.readyState = 2;
    expect(badRequestMessage(() => closing.pty.write("ls\n"))).toBe(
      "bad_request: the terminal is closed",
    );
    expect(badRequestMessage(() => closing.pty.kill())).toBe("bad_request: the terminal is closed");
    expect(closing.socket.sent).toEqual([]);

    const ended = open();
    ended.socket.emit("close");
    expect(badRequestMessage(() => ended.pty.resize(80, 24))).toBe(
      "bad_request: the terminal is closed",
    );
    expect(ended.socket.sent).toEqual([]);
  });

  it("sends strings as UTF-8 and bytes as they are; refuses anything else", () => {
    const { socket, pty } = open();
    pty.write("é");
    const raw = new Uint8Array([3]);
    pty.write(raw);
    expect(socket.sent[0]).toEqual(new TextEncoder().encode("é"));
    expect(socket.sent[1]).toBe(raw);
    expect(badRequestMessage(() => pty.write(42 as never))).toBe(
      "bad_request: data must be a string or a Uint8Array",
    );
    expect(badRequestMessage(() => pty.write(new ArrayBuffer(1) as never))).toBe(
      "bad_request: data must be a string or a Uint8Array",
    );
    expect(socket.sent).toHaveLength(2);
  });

  it("resize names the side out of range, and takes 1 and 1000", () => {
    const { socket, pty } = open();
    expect(badRequestMessage(() => pty.resize(0, 24))).toBe(
      "bad_request: cols must be an integer from 1 to 1000; got 0",
    );
    expect(badRequestMessage(() => pty.resize(80, 1001))).toBe(
      "bad_request: rows must be an integer from 1 to 1000; got 1001",
    );
    pty.resize(1, 1000);
    pty.resize(1000, 1);
    expect(socket.sent).toEqual([
      JSON.stringify({ type: "resize", cols: 1, rows: 1000 }),
      JSON.stringify({ type: "resize", cols: 1000, rows: 1 }),
    ]);
  });
});
