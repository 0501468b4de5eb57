import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpDoor } from "../src/doors/http-door.js";
import { HostPolicy } from "../src/http/host-policy.js";
import type { FakeOutcome, FakeRequestHandler } from "../src/http/http-types.js";
import { jsonResponse } from "../src/http/http-types.js";

// The listening door's close() ends a connection the HTTP server no longer tracks itself:
// one whose upgrade request the pipeline is still deciding.

describe("close", () => {
  it("ends a connection whose upgrade is still with the pipeline, and resolves", async () => {
    let called!: () => void;
    const handed = new Promise<void>((resolve) => {
      called = resolve;
    });
    let answer!: (outcome: FakeOutcome) => void;
    const pipeline: FakeRequestHandler = {
      wantsBody: () => false,
      handle: () => {
        called();
        return new Promise<FakeOutcome>((resolve) => {
          answer = resolve;
        });
      },
    };
    const door = await HttpDoor.start(pipeline, {
      hosts: new HostPolicy("127.0.0.1", []),
      maxBodyBytes: 16,
    });
    const socket = connect(Number(new URL(door.url).port), "127.0.0.1", () =>
      socket.write(
        "GET /pty HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
      ),
    );
    socket.on("error", () => undefined);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    await handed;
    await door.close();
    await ended;
    expect(Buffer.concat(received).toString()).toBe("");
    // The pipeline's late answer finds the connection gone.
    answer({ type: "response", response: jsonResponse(401, { code: "unauthorized" }) });
  });
});
