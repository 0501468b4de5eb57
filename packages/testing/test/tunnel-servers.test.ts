// Proves TunnelServers' checks and bookkeeping the other files leave open: a non-string VM id, a port per key, the stop function after a VM is gone.
import { describe, expect, it } from "vitest";
import { TunnelServers } from "../src/engine/tunnel-servers.js";

const handler = () => new Response("a");
const other = () => new Response("b");

describe("TunnelServers", () => {
  it("refuses a VM id that is not a string", () => {
    const servers = new TunnelServers();
    expect(() => servers.serve(42 as never, 80, handler)).toThrow(
      "tunnels.serve: vmId must be a non-empty string",
    );
    expect(() => servers.serve(undefined as never, 80, handler)).toThrow(TypeError);
  });

  it("names the port problem and the handler's shape", () => {
    const servers = new TunnelServers();
    expect(() => servers.serve("vm_a", 70000, handler)).toThrow(/^tunnels\.serve: /);
    expect(() => servers.serve("vm_a", 80, undefined as never)).toThrow(
      "tunnels.serve: handler must be a function (request) => Response",
    );
  });

  it("keeps one handler per VM and port", () => {
    const servers = new TunnelServers();
    servers.serve("vm_a", 80, handler);
    servers.serve("vm_a", 8080, other);
    servers.serve("vm_b", 80, other);
    expect(servers.handlerOf("vm_a", 80)).toBe(handler);
    expect(servers.handlerOf("vm_a", 8080)).toBe(other);
    expect(servers.handlerOf("vm_b", 80)).toBe(other);
    expect(servers.handlerOf("vm_b", 8080)).toBeUndefined();
  });

  it("a stop function after its VM was removed and served again leaves the new handler", () => {
    const servers = new TunnelServers();
    const stop = servers.serve("vm_a", 80, handler);
    servers.removeVm("vm_a");
    servers.serve("vm_a", 80, other);
    stop();
    expect(servers.handlerOf("vm_a", 80)).toBe(other);
  });

  it("a stop function stops its own handler", () => {
    const servers = new TunnelServers();
    const stop = servers.serve("vm_a", 80, handler);
    stop();
    expect(servers.handlerOf("vm_a", 80)).toBeUndefined();
  });
});
