import { describe, expect, it } from "vitest";
import { createFakeArker } from "../src/index.js";
import { useFakeArker } from "../src/vitest.js";
import { expectError, forkUbuntu, openClient, run } from "./helpers.js";

/**
 * Public-API edges the suite left unexercised: `listen: false`, `useFakeArker`'s getter
 * outside a test, an idempotent retry arriving while the first request is still being
 * handled, `disk_mib` checks, and `tunnels.serve` with an empty VM id.
 */

// Called while the file is collected, before any test runs.
const getFake = useFakeArker({ python: false });
let outsideError: unknown;
try {
  getFake();
} catch (error) {
  outsideError = error;
}

describe("useFakeArker", () => {
  it("its getter throws outside a test and gives the fake inside one", () => {
    expect(outsideError).toEqual(new Error("useFakeArker: the fake exists only while a test runs"));
    expect(getFake().baseUrl).toMatch(/^http/);
  });
});

describe("createFakeArker", () => {
  it("listen: false serves in-process only (no url)", async () => {
    const fake = await createFakeArker({ python: false, listen: false });
    try {
      expect(fake.url).toBeUndefined();
    } finally {
      await fake.close();
    }
  });
});

describe("idempotency", () => {
  it("a retry under the same key while the first is still handled gets its answer, marked replayed", async () => {
    const client = await openClient("in-process", { clock: "manual" });
    try {
      const vm = await forkUbuntu(client);
      let release!: () => void;
      let called!: () => void;
      const started = new Promise<void>((resolve) => {
        called = resolve;
      });
      let calls = 0;
      client.fake.commands.on("wait", () => {
        calls++;
        called();
        return new Promise((resolve) => {
          release = () => resolve({ stdout: "done\n" });
        });
      });
      const first = run(client, vm.vm_id, { command: "wait" }, "key-pending");
      await started;
      const retry = run(client, vm.vm_id, { command: "wait" }, "key-pending");
      release();
      const [one, two] = await Promise.all([first, retry]);
      expect(one.status).toBe(200);
      expect(one.json.stdout).toBe("done\n");
      expect(two.status).toBe(200);
      expect(two.json).toEqual(one.json);
      expect(two.headers["idempotent-replayed"]).toBe("true");
      expect(one.headers["idempotent-replayed"]).toBeUndefined();
      expect(calls).toBe(1);
      const logged = client.fake.requests.filter((entry) => entry.idempotencyKey === "key-pending");
      expect(logged.map((entry) => entry.replayed)).toEqual([false, true]);
    } finally {
      await client.close();
    }
  });
});

describe("sizes", () => {
  it("refuses a negative disk_mib on resize with 400", async () => {
    const client = await openClient("in-process");
    try {
      const vm = await forkUbuntu(client);
      const answer = await client.call("POST", `/v1/vms/${vm.vm_id}/resize`, {
        body: { disk_mib: -1 },
      });
      expectError(answer, 400, "bad_request");
      expect(answer.json.message).toBe("disk_mib must be an integer ≥ 0");
    } finally {
      await client.close();
    }
  });
});

describe("tunnels.serve", () => {
  it("refuses an empty VM id", async () => {
    const client = await openClient("in-process");
    try {
      expect(() => client.fake.tunnels.serve("", 80, () => new Response())).toThrow(
        new TypeError("tunnels.serve: vmId must be a non-empty string"),
      );
    } finally {
      await client.close();
    }
  });
});

describe("tunnels.serve replaced", () => {
  it("the first handler's stop function does not remove the handler that replaced it", async () => {
    const client = await openClient("in-process");
    try {
      const vm = await forkUbuntu(client);
      const stopFirst = client.fake.tunnels.serve(vm.vm_id, 8000, () => new Response("first"));
      client.fake.tunnels.serve(vm.vm_id, 8000, () => new Response("second"));
      stopFirst();
      const tunnel = await client.call("POST", `/v1/vms/${vm.vm_id}/tunnels`, {
        body: { port: 8000, visibility: "public" },
      });
      const answer = await client.fetchUrl("GET", tunnel.json.url);
      expect(answer.status).toBe(200);
      expect(Buffer.from(answer.bytes).toString()).toBe("second");
    } finally {
      await client.close();
    }
  });
});

describe("listing VMs by start time", () => {
  it("started_after and started_before keep the VMs started strictly after or before", async () => {
    const client = await openClient("in-process", { clock: "manual" });
    try {
      const early = await forkUbuntu(client);
      const middle = client.fake.clock.now() + 5_000;
      await client.fake.clock.advance(10_000);
      const late = await forkUbuntu(client);
      const list = async (query: string) =>
        (await client.call("GET", `/v1/vms?${query}`)).json.vms.map(
          (vm: { vm_id: string }) => vm.vm_id,
        );
      const at = new Date(middle).toISOString();
      expect(await list(`started_after=${at}`)).toEqual([late.vm_id]);
      expect(await list(`started_before=${at}`)).toEqual([early.vm_id]);
    } finally {
      await client.close();
    }
  });
});

describe("snapshots", () => {
  it("fake.filesystems lists in creation order, and fake.files of an unknown VM throws", async () => {
    const client = await openClient("in-process");
    try {
      for (const name of ["zeta", "alpha", "mid"])
        await client.call("POST", "/v1/filesystems", { body: { name } });
      expect(client.fake.filesystems.map((filesystem) => filesystem.name)).toEqual([
        "zeta",
        "alpha",
        "mid",
      ]);
      expect(() => client.fake.files("vm_missing")).toThrow(new Error("no VM vm_missing"));
    } finally {
      await client.close();
    }
  });
});
