import { afterEach, describe, expect, it } from "vitest";
import { TunnelServers } from "../src/engine/tunnel-servers.js";
import { forkUbuntu, openClient, type RawClient } from "./helpers.js";

// Lines no test reached before (TESTING.md, "cheap coverage gaps"): the VM list's region
// and provider filters kept apart, and the tunnel handler registry's per-VM bookkeeping.
const clients: RawClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

describe("GET /v1/vms filters by where a VM runs", () => {
  it("keeps VMs of the fake's own region and provider, and drops the others", async () => {
    const client = await openClient("in-process", { region: "eu-west-1", provider: "gcp" });
    clients.push(client);
    const id = (await forkUbuntu(client)).vm_id;
    const ids = async (query: string) =>
      (await client.call("GET", `/v1/vms?${query}`)).json.vms.map(
        (vm: { vm_id: string }) => vm.vm_id,
      );
    expect(await ids("provider=gcp")).toEqual([id]);
    expect(await ids("provider=aws")).toEqual([]);
    expect(await ids("region=eu-west-1&provider=gcp")).toEqual([id]);
    expect(await ids("region=us-west-2&provider=gcp")).toEqual([]);
  });
});

describe("TunnelServers", () => {
  const handler = () => new Response("a");
  const other = () => new Response("b");

  it("forgets one VM's handlers and keeps another VM's on the same port", () => {
    const servers = new TunnelServers();
    servers.serve("vm_a", 8080, handler);
    servers.serve("vm_a", 9090, handler);
    servers.serve("vm_ab", 8080, other);
    servers.removeVm("vm_a");
    expect(servers.handlerOf("vm_a", 8080)).toBeUndefined();
    expect(servers.handlerOf("vm_a", 9090)).toBeUndefined();
    expect(servers.handlerOf("vm_ab", 8080)).toBe(other);
  });

  it("stops serving only the handler it returned the stop function for", () => {
    const servers = new TunnelServers();
    const stopFirst = servers.serve("vm_a", 8080, handler);
    servers.serve("vm_a", 8080, other);
    stopFirst();
    expect(servers.handlerOf("vm_a", 8080)).toBe(other);
    servers.serve("vm_a", 8080, handler)();
    expect(servers.handlerOf("vm_a", 8080)).toBeUndefined();
  });

  it("refuses a bad VM id, port or handler, naming what is wrong", () => {
    const servers = new TunnelServers();
    expect(() => servers.serve("", 80, handler)).toThrow(/vmId must be a non-empty string/);
    expect(() => servers.serve("vm_a", 0, handler)).toThrow(/^tunnels\.serve: .*port/);
    expect(() => servers.serve("vm_a", 80, "x" as never)).toThrow(/handler must be a function/);
    servers.serve("vm_a", 80, handler);
    servers.clear();
    expect(servers.handlerOf("vm_a", 80)).toBeUndefined();
  });
});
