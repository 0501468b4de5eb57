// Proves createFakeArker's listening door answers the Host names of the address it binds, and only those.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { interfaceAddresses, isLoopbackHost } from "../src/http/host-policy.js";
import { createFakeArker } from "../src/index.js";

/** An address of another interface of this machine (a name a LAN client may use), if any. */
const other = interfaceAddresses().find(
  (address) => !isLoopbackHost(address) && !address.includes(":"),
);

/** The status of GET /v1/health sent to 127.0.0.1:`port` with the Host header `host`. */
function statusFor(port: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: "127.0.0.1", port, path: "/v1/health", headers: { host } });
    req.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("createFakeArker's listening door and the host it binds", () => {
  it.skipIf(other === undefined)(
    "bound to 0.0.0.0, it answers a Host naming another interface of the machine",
    async () => {
      const fake = await createFakeArker({ python: false, listen: { host: "0.0.0.0" } });
      try {
        const port = new URL(fake.url ?? "").port;
        expect(await statusFor(port, `${other}:${port}`)).toBe(200);
        expect(await statusFor(port, `attacker.example:${port}`)).toBe(403);
      } finally {
        await fake.close();
      }
    },
  );

  it.skipIf(other === undefined)(
    "listening without a host (loopback), it refuses a Host naming another interface",
    async () => {
      const fake = await createFakeArker({ python: false, listen: true });
      try {
        const port = new URL(fake.url ?? "").port;
        expect(await statusFor(port, `127.0.0.1:${port}`)).toBe(200);
        expect(await statusFor(port, `${other}:${port}`)).toBe(403);
      } finally {
        await fake.close();
      }
    },
  );
});
