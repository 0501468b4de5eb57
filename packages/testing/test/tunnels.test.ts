import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  type DoorKind,
  expectError,
  forkUbuntu,
  keysOf,
  openClient,
  type RawClient,
} from "./helpers.js";

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const TUNNEL_KEYS = ["port", "protocol", "started_at", "state", "url", "visibility", "vm_id"];

describe.each<DoorKind>(["in-process", "http"])("tunnels through the %s door", (kind) => {
  it("opens a tunnel whose url on the fake's own origin reaches the served handler", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const seen: string[] = [];
    client.fake.tunnels.serve(vm.vm_id, 8080, async (inside) => {
      seen.push(
        `${inside.method} ${inside.url} ${inside.headers.get("x-probe")} ${await inside.text()}`,
      );
      return new Response("hello from 8080", { status: 201, headers: { "x-served": "yes" } });
    });
    const created = await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
      body: { port: 8080, visibility: "public" },
    });
    expect(created.status).toBe(200);
    expect(keysOf(created.json)).toEqual(TUNNEL_KEYS);
    expect(created.json).toMatchObject({
      vm_id: vm.vm_id,
      port: 8080,
      visibility: "public",
      protocol: "http",
      state: "open",
      url: `${client.base}/_tunnels/${vm.vm_id}/8080/`,
    });
    const answer = await request(`${created.json.url}api/items?x=1`, {
      method: "POST",
      body: "payload",
      headers: { "x-probe": "p1" },
      dispatcher: client.dispatcher,
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.headers["x-served"]).toBe("yes");
    expect(await answer.body.text()).toBe("hello from 8080");
    expect(seen).toEqual(["POST http://localhost:8080/api/items?x=1 p1 payload"]);
    expect(client.fake.vms.find((one) => one.vm_id === vm.vm_id)?.tunnels).toEqual([
      { ...created.json, url: `${client.fake.baseUrl}/_tunnels/${vm.vm_id}/8080/` },
    ]);
  });

  it("answers the existing tunnel for an open port, defaults to private http, and lists, gets, deletes", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const base = `/v1/vms/${vm.vm_id}/tunnels`;
    const first = (await client.call("POST", base, { body: { port: 3000 } })).json;
    expect(first).toMatchObject({ visibility: "private", protocol: "http", state: "open" });
    const again = await client.call("POST", base, { body: { port: 3000, visibility: "public" } });
    expect(again.json).toEqual(first);
    await client.call("POST", base, { body: { port: 22, protocol: "tcp", visibility: null } });
    const listed = await client.call("GET", `${base}?limit=1`);
    expect(listed.json.tunnels.map((tunnel: { port: number }) => tunnel.port)).toEqual([22]);
    const rest = await client.call("GET", `${base}?cursor=${listed.json.next_cursor}`);
    expect(rest.json).toEqual({ tunnels: [first], next_cursor: null });
    expect((await client.call("GET", `${base}?state=closed`)).json.tunnels).toEqual([]);
    expect((await client.call("GET", `${base}/3000`)).json).toEqual(first);
    expect((await client.call("DELETE", `${base}/3000`)).json).toEqual({ deleted: true });
    expectError(await client.call("GET", `${base}/3000`), 404, "not_found");
    expectError(await client.call("DELETE", `${base}/3000`), 404, "not_found");
  });

  it("refuses bad ports, visibilities, protocols and states with 400", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const base = `/v1/vms/${vm.vm_id}/tunnels`;
    for (const body of [{}, { port: 0 }, { port: 65_536 }, { port: "80" }, { port: 80.5 }])
      expectError(await client.call("POST", base, { body }), 400, "bad_request");
    expectError(
      await client.call("POST", base, { body: { port: 80, visibility: "world" } }),
      400,
      "bad_request",
    );
    expectError(
      await client.call("POST", base, { body: { port: 80, protocol: "udp" } }),
      400,
      "bad_request",
    );
    expectError(await client.call("GET", `${base}?state=gone`), 400, "bad_request");
    expectError(await client.call("GET", `${base}/http`), 400, "bad_request");
    expectError(await client.call("GET", `${base}/70000`), 400, "bad_request");
  });

  it("answers 502 without a handler or when it throws, 404 for no tunnel, and needs the owner's key when private", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const fetchTunnel = async (url: string, key?: string) => {
      const answer = await request(url, {
        dispatcher: client!.dispatcher,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      });
      const text = await answer.body.text();
      return {
        status: answer.statusCode,
        headers: answer.headers,
        json: JSON.parse(text || "null"),
      };
    };
    const url = `${client.base}/_tunnels/${vm.vm_id}/9000/`;
    expectError(await fetchTunnel(url), 404, "not_found");
    await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, { body: { port: 9000 } });
    expectError(await fetchTunnel(url), 401, "unauthorized");
    const other = client.fake.addOrg("org_other");
    expectError(await fetchTunnel(url, other.apiKey), 404, "not_found");
    expectError(await fetchTunnel(url, client.fake.apiKey), 502, "unavailable");
    let authorization: string | null = "unset";
    const stop = client.fake.tunnels.serve(vm.vm_id, 9000, (inside) => {
      authorization = inside.headers.get("authorization");
      return Response.json({ ok: true });
    });
    expect((await fetchTunnel(url, client.fake.apiKey)).json).toEqual({ ok: true });
    expect(authorization).toBeNull();
    stop();
    expectError(await fetchTunnel(url, client.fake.apiKey), 502, "unavailable");
    client.fake.tunnels.serve(vm.vm_id, 9000, () => {
      throw new Error("boom");
    });
    const failed = await fetchTunnel(url, client.fake.apiKey);
    expectError(failed, 502, "unavailable");
    expect(failed.json.message).toContain("boom");
  });

  it("keeps tunnels per org and drops them with their VM", async () => {
    client = await openClient(kind, { clock: "manual" });
    const vm = await forkUbuntu(client);
    const base = `/v1/vms/${vm.vm_id}/tunnels`;
    await client.call("POST", base, { body: { port: 80, visibility: "public" } });
    client.fake.tunnels.serve(vm.vm_id, 80, () => new Response("up"));
    const other = client.fake.addOrg("org_other");
    for (const [method, path] of [
      ["GET", base],
      ["POST", base],
      ["GET", `${base}/80`],
      ["DELETE", `${base}/80`],
    ] as const) {
      expectError(
        await client.call(method, path, {
          key: other.apiKey,
          body: method === "POST" ? { port: 81 } : undefined,
        }),
        404,
        "not_found",
      );
    }
    expect((await client.call("GET", `${base}/80`)).status).toBe(200);
    await client.call("DELETE", `/v1/vms/${vm.vm_id}`);
    const gone = await request(`${client.base}/_tunnels/${vm.vm_id}/80/`, {
      dispatcher: client.dispatcher,
    });
    expect(gone.statusCode).toBe(404);
    await gone.body.dump();
  });
});

describe("tunnels in-process", () => {
  it("serve the url to the global fetch through fake.dispatcher", async () => {
    client = await openClient("in-process", { clock: "manual" });
    const vm = await forkUbuntu(client);
    client.fake.tunnels.serve(vm.vm_id, 5173, () => new Response("vite"));
    const tunnel = (
      await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
        body: { port: 5173, visibility: "public" },
      })
    ).json;
    const answer = await fetch(tunnel.url, { dispatcher: client.fake.dispatcher } as RequestInit);
    expect(await answer.text()).toBe("vite");
  });

  it("close a failed VM's tunnels: closed without a url, its url 502", async () => {
    client = await openClient("in-process", { clock: "manual" });
    const vm = await forkUbuntu(client);
    client.fake.tunnels.serve(vm.vm_id, 80, () => new Response("up"));
    const tunnel = (
      await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
        body: { port: 80, visibility: "public" },
      })
    ).json;
    client.fake.failHost(vm.vm_id);
    expect((await client.call("GET", `/v1/vms/${vm.vm_id}/tunnels/80`)).json).toMatchObject({
      state: "closed",
      url: null,
    });
    expect(
      (await client.call("GET", `/v1/vms/${vm.vm_id}/tunnels?state=closed`)).json.tunnels,
    ).toHaveLength(1);
    expect((await client.fetchUrl("GET", tunnel.url)).status).toBe(502);
  });

  it("refuse a bad serve call", () => {
    return openClient("in-process").then((opened) => {
      client = opened;
      expect(() => opened.fake.tunnels.serve("vm_x", 0, () => new Response())).toThrow(/port/);
      expect(() =>
        opened.fake.tunnels.serve("vm_x", 80, "nope" as unknown as () => Response),
      ).toThrow(/handler/);
    });
  });
});
