import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

/**
 * Request-pipeline paths the route tests leave out: a blank body, bodies past
 * `maxBodyBytes` on a tunnel and on a control, a control path that is not URL-encoded,
 * malformed tunnel paths, and tunnel handlers that misbehave.
 */

let client: RawClient;
beforeEach(async () => {
  client = await openClient("in-process", { clock: "manual", maxBodyBytes: 64 });
});
afterEach(async () => {
  await client.close();
});

/** A request to an absolute URL through the client's door, without auth. */
async function fetchRaw(url: string, method = "GET", body?: string) {
  const answer = await request(url, {
    method: method as "GET",
    body,
    dispatcher: client.dispatcher,
  });
  const text = await answer.body.text();
  return { status: answer.statusCode, headers: answer.headers, json: JSON.parse(text || "null") };
}

describe("bodies", () => {
  it("a body of only whitespace reads as an empty object", async () => {
    const vm = await forkUbuntu(client);
    const created = await client.call("POST", `/v1/vms/${vm.vm_id}/sessions`, {
      rawBody: "  \n\t ",
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ cwd: "/home/user", env: {}, state: "idle" });
  });

  it("a tunnel request past maxBodyBytes is 413 and never reaches the handler; it is logged", async () => {
    const vm = await forkUbuntu(client);
    let calls = 0;
    client.fake.tunnels.serve(vm.vm_id, 8080, () => {
      calls++;
      return new Response("ok");
    });
    const tunnel = await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
      body: { port: 8080, visibility: "public" },
    });
    const answer = await fetchRaw(`${tunnel.json.url}upload`, "POST", "x".repeat(65));
    expectError(answer, 413, "payload_too_large");
    expect(answer.json.message).toBe("request body exceeds the limit of 64 bytes");
    expect(calls).toBe(0);
    expect(client.fake.requests.at(-1)).toMatchObject({
      method: "POST",
      path: `/_tunnels/${vm.vm_id}/8080/upload`,
      status: 413,
    });
  });

  it("a control request past maxBodyBytes is 413", async () => {
    const answer = await client.call("POST", "/_fake/orgs", { body: { name: "x".repeat(80) } });
    expectError(answer, 413, "payload_too_large");
    expect(answer.json.message).toBe("request body exceeds the limit of 64 bytes");
  });
});

describe("paths", () => {
  it("a control path that is not correctly URL-encoded is a 400", async () => {
    const answer = await client.call("POST", "/_fake/fail-host/%E0%A4");
    expectError(answer, 400, "bad_request");
    expect(answer.json.message).toBe("path is not correctly URL-encoded");
  });

  it.each([
    ["without a port", "/_tunnels/vm_x/"],
    ["with a VM id that is not URL-encoded", "/_tunnels/%E0%A4/8080/"],
  ])("a tunnel path %s is 404 naming it", async (_name, path) => {
    const answer = await fetchRaw(`${client.base}${path}`);
    expectError(answer, 404, "not_found");
    expect(answer.json.message).toBe(`no tunnel at ${path}`);
  });
});

describe("tunnel handlers that misbehave", () => {
  async function openTunnel(handler: (inside: Request) => Response | Promise<Response>) {
    const vm = await forkUbuntu(client);
    client.fake.tunnels.serve(vm.vm_id, 9000, handler);
    const tunnel = await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
      body: { port: 9000, visibility: "public" },
    });
    return { vmId: vm.vm_id as string, url: tunnel.json.url as string };
  }

  it("a handler that returns something other than a Response is a 502 saying so", async () => {
    const { vmId, url } = await openTunnel(() => "hello" as unknown as Response);
    const answer = await fetchRaw(url);
    expectError(answer, 502, "unavailable");
    expect(answer.json.message).toBe(
      `the handler of port 9000 of ${vmId} failed: the handler did not return a Response`,
    );
  });

  it("a handler's hop-by-hop headers are dropped, its own headers kept", async () => {
    const { url } = await openTunnel(
      () => new Response("ok", { headers: { "x-own": "kept", "keep-alive": "timeout=5" } }),
    );
    const answer = await request(url, { dispatcher: client.dispatcher });
    await answer.body.text();
    expect(answer.headers["x-own"]).toBe("kept");
    expect(answer.headers["keep-alive"]).toBeUndefined();
  });

  it("a handler that throws a string is a 502 carrying it", async () => {
    const { vmId, url } = await openTunnel(() => {
      throw "no luck";
    });
    const answer = await fetchRaw(url);
    expectError(answer, 502, "unavailable");
    expect(answer.json.message).toBe(`the handler of port 9000 of ${vmId} failed: no luck`);
  });
});
