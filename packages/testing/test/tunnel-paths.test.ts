import { describe, expect, it } from "vitest";
import { parseTunnelPath, TUNNEL_PATH_PREFIX, tunnelUrl } from "../src/http/tunnel-paths.js";

// Where tunnel traffic lives on the fake's origin (tunnels.test.ts sends it through both doors).
describe("tunnel paths", () => {
  it("builds a tunnel's URL with the VM id as one encoded segment, ending in /", () => {
    expect(TUNNEL_PATH_PREFIX).toBe("/_tunnels/");
    expect(tunnelUrl("http://localhost:1", "vm 1/é", 8080)).toBe(
      "http://localhost:1/_tunnels/vm%201%2F%C3%A9/8080/",
    );
  });

  it("parses the VM id, the port and the path inside the VM (/ when none)", () => {
    expect(parseTunnelPath("/_tunnels/vm_1/8080/a/b")).toEqual({
      vmId: "vm_1",
      port: 8080,
      path: "/a/b",
    });
    expect(parseTunnelPath("/_tunnels/vm%201%2F%C3%A9/65535")).toEqual({
      vmId: "vm 1/é",
      port: 65535,
      path: "/",
    });
    expect(parseTunnelPath("/_tunnels/vm_1/80/")).toMatchObject({ port: 80, path: "/" });
  });

  it("gives undefined for a path that is not a tunnel's", () => {
    for (const path of [
      "/_tunnels/vm_1",
      "/_tunnels/vm_1/",
      "/_tunnels//80/",
      "/_tunnels/vm_1/123456/",
      "/_tunnels/vm_1/80x/",
      "/_tunnels/vm_1/x80/",
      "/x/_tunnels/vm_1/80/",
      "/_tunnels/%E0%A4%A/80/",
    ]) {
      expect(parseTunnelPath(path), path).toBeUndefined();
    }
  });
});
