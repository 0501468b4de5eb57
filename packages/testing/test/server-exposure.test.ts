// Proves startFakeServer's warning names every other-machine URL, its clock default and exportLines' exact lines.
import { type AddressInfo, connect, createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";

/** What the mocked `interfaceAddresses` answers. */
let addresses: string[] = [];
vi.mock("../src/http/host-policy.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../src/http/host-policy.js")>()),
  interfaceAddresses: () => addresses,
}));

const { exportLines, startFakeServer } = await import("../src/server.js");

const TAIL =
  "; anyone who learns the API key can use it. Other machines must name it by one of those addresses or an allowedHosts name.";

afterEach(() => {
  addresses = [];
});

describe("startFakeServer's exposure warning", () => {
  it("lists the URL of each non-loopback interface, IPv6 ones in brackets", async () => {
    addresses = ["127.0.0.1", "::1", "10.1.2.3", "fe80::1"];
    const server = await startFakeServer({ python: false, host: "0.0.0.0" });
    try {
      const port = new URL(server.url).port;
      expect(server.exposure).toBe(
        `listening on 0.0.0.0: the fake is reachable from other machines (http://10.1.2.3:${port}, http://[fe80::1]:${port})${TAIL}`,
      );
    } finally {
      await server.close();
    }
  });

  it("says so when no other interface is found", async () => {
    addresses = ["127.0.0.1"];
    const server = await startFakeServer({ python: false, host: "0.0.0.0" });
    try {
      expect(server.exposure).toBe(
        `listening on 0.0.0.0: the fake is reachable from other machines (no other interface found)${TAIL}`,
      );
    } finally {
      await server.close();
    }
  });
});

/** Whether a TCP connection to `host:port` is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("startFakeServer on loopback", () => {
  it("binds 127.0.0.1 only and gives no warning", async () => {
    const server = await startFakeServer({ python: false });
    try {
      const port = Number(new URL(server.url).port);
      expect(server.exposure).toBeUndefined();
      expect(await accepts("127.0.0.1", port)).toBe(true);
      // Bound to every interface, [::1] (dual stack) would be accepted too.
      expect(await accepts("::1", port)).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe("startFakeServer's clock and exportLines", () => {
  it("follows the wall clock unless told otherwise", async () => {
    const real = await startFakeServer({ python: false });
    const manual = await startFakeServer({ python: false, clock: "manual" });
    try {
      expect(real.fake.clock.mode).toBe("real");
      expect(manual.fake.clock.mode).toBe("manual");
    } finally {
      await real.close();
      await manual.close();
    }
  });

  it("prints one export line per variable, the control token last", async () => {
    const server = await startFakeServer({ python: false });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(exportLines(server)).toBe(
        [
          `export ARKER_BASE_URL=${server.url}`,
          `export ARKER_CONTROL_BASE_URL=${server.url}`,
          `export ARKER_API_KEY=${server.apiKey}`,
          `export ARKER_FAKE_CONTROL_TOKEN=${server.controlToken}`,
        ].join("\n"),
      );
    } finally {
      await server.close();
    }
  });
});

describe("startFakeServer's own port and host", () => {
  it("listens on the port it is given", async () => {
    const port = await freePort();
    const server = await startFakeServer({ python: false, port });
    try {
      expect(new URL(server.url).port).toBe(String(port));
    } finally {
      await server.close();
    }
  });

  const outside = Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && !address.internal && address.family === "IPv4");
  it.skipIf(outside === undefined)(
    "listens on the host it is given (0.0.0.0: every interface)",
    async () => {
      const server = await startFakeServer({ python: false, host: "0.0.0.0" });
      try {
        expect(await accepts(outside!.address, Number(new URL(server.url).port))).toBe(true);
      } finally {
        await server.close();
      }
    },
  );
});

describe("startFakeServer on one other-machine address", () => {
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && !address.internal && address.family === "IPv4");
  it.skipIf(outside === undefined)("names that address alone in its warning", async () => {
    const server = await startFakeServer({ python: false, host: outside!.address });
    try {
      const port = new URL(server.url).port;
      expect(server.exposure).toContain(
        `reachable from other machines (http://${outside!.address}:${port});`,
      );
    } finally {
      await server.close();
    }
  });
});

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
