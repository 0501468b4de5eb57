import { connect } from "node:net";
import { Readable } from "node:stream";
import { Agent, request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

/**
 * The listening door with callers the SDK never is: HTTP/1.0 without a Host header, a
 * chunked body with no length, a body past the cap left unread, and upgrades without a
 * Host or cut by a reset fault.
 */

let client: RawClient;
beforeEach(async () => {
  client = await openClient("http", { clock: "manual", maxBodyBytes: 256 });
});
afterEach(async () => {
  await client.close();
});

/** Writes `text` on a fresh connection and reads until the server closes it. */
function exchange(text: string): Promise<string> {
  const { port } = new URL(client.fake.url!);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("error", reject);
  });
}

describe("requests without a Host header (HTTP/1.0)", () => {
  it("are served, on the door's own origin", async () => {
    const vm = await forkUbuntu(client);
    const body = JSON.stringify({
      op: "write",
      writes: [{ path: "/tmp/p", size: 1, presigned: true }],
    });
    const answer = await exchange(
      `POST /v1/vms/${vm.vm_id}/sync HTTP/1.0\r\nAuthorization: Bearer ${client.fake.apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    const json = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(json.results[0].presigned_url.startsWith(`${client.fake.url}/_fake/blobs/`)).toBe(true);
  });

  it("an upgrade without a Host header goes to the pipeline, which refuses it without a key", async () => {
    const vm = await forkUbuntu(client);
    const session = (await client.call("GET", `/v1/vms/${vm.vm_id}`)).json.sessions;
    const sessionId =
      session[0]?.session_id ??
      (await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} })).json.session_id;
    const answer = await exchange(
      `GET /v1/vms/${vm.vm_id}/sessions/${sessionId}/pty HTTP/1.0\r\nConnection: Upgrade\r\n` +
        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('"code":"unauthorized"');
  });
});

describe("bodies", () => {
  it("reads a chunked body that declares no length", async () => {
    const vm = await forkUbuntu(client);
    const body = JSON.stringify({ command: "echo chunked" });
    const dispatcher = client.dispatcher;
    const answer = await request(`${client.base}/v1/vms/${vm.vm_id}/runs`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${client.fake.apiKey}`,
        "content-type": "application/json",
      },
      body: Readable.from([body.slice(0, 10), body.slice(10)]),
      dispatcher,
    });
    const json = (await answer.body.json()) as { stdout: string };
    expect(answer.statusCode).toBe(200);
    expect(json.stdout).toBe("chunked\n");
  });

  it("answers 413 to a body past the cap and serves the next request on the connection", async () => {
    const vm = await forkUbuntu(client);
    const agent = new Agent({ connections: 1 });
    try {
      const big = await request(`${client.base}/v1/vms/${vm.vm_id}/runs`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${client.fake.apiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ command: `echo ${"x".repeat(400)}` }),
        dispatcher: agent,
      });
      expect(big.statusCode).toBe(413);
      await big.body.text();
      const next = await request(`${client.base}/v1/health`, { dispatcher: agent });
      expect(next.statusCode).toBe(200);
      await next.body.text();
    } finally {
      await agent.destroy();
    }
    expect((await run(client, vm.vm_id, { command: "echo still" })).json.stdout).toBe("still\n");
  });
});

describe("upgrades", () => {
  it("a reset fault on the PTY route closes the connection without an answer", async () => {
    const vm = await forkUbuntu(client);
    const sessionId = (await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} })).json
      .session_id;
    const path = `/v1/vms/${vm.vm_id}/sessions/${sessionId}/pty`;
    client.fake.faults.add({ path, effect: { type: "reset-before" } });
    const answer = await exchange(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${client.fake.apiKey}\r\n` +
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    expect(answer).toBe("");
    expect(client.fake.requests.at(-1)).toMatchObject({ path, fault: "reset-before", status: 0 });
  });
});
