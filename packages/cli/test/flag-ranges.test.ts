import { MAX_RUN_TIMEOUT_SECONDS, RESIZE_LIMITS } from "@arker-ai/core/contract";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let vm: string;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
  vm = (await cli(["fork", "ubuntu"])).text.trim();
});

afterAll(async () => {
  await fake?.close();
});

const { vcpu, memoryMib } = RESIZE_LIMITS;
const inVcpuRange = (n: number) => n >= vcpu.min && n <= vcpu.max;
const inMemoryRange = (n: number) =>
  n >= memoryMib.min && n <= memoryMib.max && n % memoryMib.step === 0;

// One rule: a flag outside the contract's limits is a usage error (exit 2) before any
// request; a value inside reaches the server and succeeds. Never a bad_request (exit 1).
describe("out-of-range flags are usage errors everywhere", () => {
  it.each([0, 1, 4, vcpu.max, vcpu.max + 1, 128])("--vcpus %i on resize and fork", async (n) => {
    const expected = inVcpuRange(n) ? 0 : 2;
    const resize = await cli(["resize", vm, "--vcpus", String(n)]);
    expect(resize.code, resize.stderr).toBe(expected);
    const fork = await cli(["fork", "ubuntu", "--vcpus", String(n)]);
    expect(fork.code, fork.stderr).toBe(expected);
  });

  it.each([0, 255, memoryMib.min, 1000, 4096, memoryMib.max, memoryMib.max + memoryMib.step])(
    "--memory-mib %i on resize and fork",
    async (n) => {
      const expected = inMemoryRange(n) ? 0 : 2;
      const resize = await cli(["resize", vm, "--memory-mib", String(n)]);
      expect(resize.code, resize.stderr).toBe(expected);
      const fork = await cli(["fork", "ubuntu", "--memory-mib", String(n)]);
      expect(fork.code, fork.stderr).toBe(expected);
      if (expected === 2) {
        expect(resize.stderr).toMatch(
          new RegExp(`^arker: usage: --memory-mib must be a multiple of ${memoryMib.step} `, "m"),
        );
      }
    },
  );

  it("--timeout above the contract's longest run is a usage error, not a server error", async () => {
    const before = fake.requests.length;
    const over = await cli([
      "run",
      vm,
      "--timeout",
      String(MAX_RUN_TIMEOUT_SECONDS + 1),
      "--",
      "true",
    ]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(
      /^arker: usage: --timeout must be between 0 and 86400; got 86401$/m,
    );
    expect(fake.requests.length).toBe(before);
    const max = await cli(["run", vm, "--timeout", String(MAX_RUN_TIMEOUT_SECONDS), "--", "true"]);
    expect(max.code, max.stderr).toBe(0);
  });
});
