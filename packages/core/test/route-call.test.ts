import { afterEach, describe, expect, it } from "vitest";
import { rejection, sendJson, startServer } from "../../../test-support/local-server";
import { ROUTE_NAMES, ROUTES, type RouteName } from "../src/contract";
import { ArkerClient } from "../src/index";
import { type RouteInput, routeRequest } from "../src/internal";

const servers: Array<{ close(): Promise<void> }> = [];
const clients: ArkerClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Inputs that fill every path parameter of a route with `p_<name>`. */
function inputFor(name: RouteName): RouteInput<RouteName> {
  const params: Record<string, string> = {};
  for (const match of ROUTES[name].path.matchAll(/\{([a-z_]+)\}/g)) {
    params[match[1]!] = `p_${match[1]}`;
  }
  return { params } as unknown as RouteInput<RouteName>;
}

describe("routeRequest builds every call from the route table", () => {
  it.each(ROUTE_NAMES.map((name) => [name]))("%s", (name) => {
    const route = ROUTES[name];
    const spec = routeRequest(name, inputFor(name), undefined);
    expect(spec.method).toBe(route.method);
    expect(spec.host).toBe(route.host);
    expect(spec.auth).toBe(route.auth);
    expect(spec.path).toBe(route.path.replace(/\{([a-z_]+)\}/g, "p_$1"));
    if (route.idempotent) expect(spec.idempotencyKey).toMatch(/^[\x21-\x7e]{1,64}$/);
    else expect(spec.idempotencyKey).toBe(false);
  });

  it("keeps a caller's key and refuses a malformed one", () => {
    const params = { vm_id: "vm_1" };
    const body = { command: "true" };
    expect(routeRequest("createRun", { params, body }, { idempotencyKey: "k-1" })).toMatchObject({
      idempotencyKey: "k-1",
    });
    for (const key of ["", "has space", "k".repeat(65), "é"]) {
      expect(() => routeRequest("createRun", { params, body }, { idempotencyKey: key })).toThrow(
        /bad_request: idempotencyKey must be 1-64 printable ASCII/,
      );
    }
  });

  it("refuses a key on a route that takes none", () => {
    expect(() =>
      routeRequest("getVm", { params: { vm_id: "vm_1" } }, { idempotencyKey: "k-1" }),
    ).toThrow(/bad_request: getVm takes no idempotencyKey/);
  });
});

describe("ArkerClient.call", () => {
  async function setup(status: number, body: unknown) {
    const server = await startServer((_req, res) => sendJson(res, status, body));
    servers.push(server);
    const client = new ArkerClient({
      apiKey: "ark_live_k",
      baseUrl: server.url,
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      logLevel: "off",
    });
    clients.push(client);
    return { server, client };
  }

  it("sends no auth header to a route that needs none", async () => {
    const { server, client } = await setup(200, { status: "ok", timestamp: "t" });
    await client.call("health", {});
    expect(server.seen[0]!.url).toBe("/v1/health");
    expect(server.seen[0]!.headers.authorization).toBeUndefined();
  });

  it("puts the key it chose on the error of a failed mutating call", async () => {
    const { server, client } = await setup(503, { code: "unavailable", message: "busy" });
    const error = await rejection(
      client.call("deleteVm", { params: { vm_id: "vm_1" } }, undefined),
    );
    expect(error.code).toBe("unavailable");
    const sent = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(error.idempotencyKey).toBe(sent[0]);
  });

  it("puts the caller's key on the error, and none on a failed read", async () => {
    const { client } = await setup(404, { code: "not_found", message: "no" });
    const write = await rejection(
      client.call("deleteVm", { params: { vm_id: "vm_1" } }, { idempotencyKey: "mine-1" }),
    );
    expect(write.idempotencyKey).toBe("mine-1");
    const read = await rejection(client.call("getVm", { params: { vm_id: "vm_1" } }));
    expect(read.idempotencyKey).toBeNull();
  });
});

describe("routeRequest carries the input", () => {
  it("sends the body it is given, and none when given none", () => {
    const params = { vm_id: "vm_1" };
    const body = { command: "echo hi" };
    expect(routeRequest("createRun", { params, body }, undefined).body).toEqual(body);
    const bare = routeRequest("getVm", { params }, undefined);
    expect([bare.body, bare.query]).toEqual([undefined, undefined]);
  });
});
