import { DEFAULT_MAX_CONNECTIONS } from "@arker-ai/core";
import { Arker, type Vm } from "@arker-ai/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { SOAK } from "./lib/connect";
import { startCountingProxy } from "./lib/counting-proxy";
import { errorDefect } from "./lib/errors";
import { startFakeProcess } from "./lib/fake-process";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { capturingLogger } from "./lib/trace";

const VMS = SOAK ? 1_000 : 200;
const COMMANDS = 50;
/**
 * How far the heap may stay above its baseline once every VM is deleted (after a full
 * GC): the client keeps nothing per VM or per run, so what remains is allocator and JIT
 * noise (about 1.5 MiB observed). 4 MiB is about 400 bytes per run of the default load:
 * anything the client kept per run would show.
 */
const HEAP_TOLERANCE_BYTES = 4 * 1024 * 1024;
const MiB = 1024 * 1024;

const figures = createFigures(
  "load",
  `${VMS} VMs forked at once through one client, each running ${COMMANDS} commands, then deleted — over real HTTP to a fake in its own process, through a TCP proxy that counts connections. No errors, connections bounded by the client's pool and reused, and the client's heap back within ${HEAP_TOLERANCE_BYTES / MiB} MiB of its baseline after the deletions.`,
);
afterAll(() => saveFigures(figures));

/** Heap in use after a full collection (three passes, with turns of the event loop between). */
async function settledHeap(): Promise<number> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error("run with --expose-gc (vitest.config.ts execArgv)");
  for (let pass = 0; pass < 3; pass++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

describe("load", () => {
  it(`${VMS} concurrent VMs × ${COMMANDS} commands through one client`, async () => {
    const fake = await startFakeProcess(61);
    const proxy = await startCountingProxy(fake.url);
    const trace = capturingLogger(0);
    const ar = new Arker({
      apiKey: fake.apiKey,
      baseUrl: proxy.url,
      region: "us-west-2",
      logLevel: "debug",
      logger: trace,
    });
    const errors: Record<string, number> = {};
    const defects: string[] = [];
    let wrongOutput = 0;
    try {
      const exercise = async (vm: Vm, commands: number) => {
        for (let index = 0; index < commands; index++) {
          const run = await vm.run(`echo ${index}`);
          figures.operations++;
          const stdout = run.type === "completed" ? new TextDecoder().decode(run.stdout) : "";
          if (stdout !== `${index}\n`) wrongOutput++;
        }
      };
      const guarded = async (work: () => Promise<void>) => {
        try {
          await work();
        } catch (error) {
          const defect = errorDefect(error);
          if (defect) defects.push(defect);
          bump(errors, (error as { code?: string }).code ?? "thrown");
        }
      };

      // Warm-up: the same paths once, so the baseline holds the code and pools.
      await Promise.all(
        Array.from({ length: 4 }, (_, index) =>
          guarded(async () => {
            const vm = await ar.fork("ubuntu-full", { name: `warm-${index}` });
            await exercise(vm, 5);
            await vm.delete();
          }),
        ),
      );
      const baseline = await settledHeap();
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 50);

      const vms: Vm[] = [];
      await Promise.all(
        Array.from({ length: VMS }, (_, index) =>
          guarded(async () => {
            const vm = await ar.fork("ubuntu-full", { name: `load-${index}` });
            figures.operations++;
            vms.push(vm);
            await exercise(vm, COMMANDS);
          }),
        ),
      );
      await Promise.all(
        vms.map((vm) =>
          guarded(async () => {
            await vm.delete();
            figures.operations++;
          }),
        ),
      );
      clearInterval(sampler);
      const remaining = [];
      for await (const info of await ar.listVms({ limit: 1000 })) {
        if (info.name?.startsWith("load-")) remaining.push(info.vm_id);
      }
      vms.length = 0;
      const afterDelete = await settledHeap();
      const connections = proxy.opened;
      const requests = trace.attempts;
      await ar.close();
      const afterClose = await settledHeap();

      const growth = afterDelete - baseline;
      figures.requests = requests;
      figures.retries = trace.retries;
      figures.leaks = growth > HEAP_TOLERANCE_BYTES ? 1 : 0;
      figures.notes = {
        "runs that answered the wrong output": wrongOutput,
        errors: Object.keys(errors).length === 0 ? "none" : JSON.stringify(errors),
        "HTTP connections opened (counted by the proxy) / requests": `${connections} / ${requests} (${(requests / Math.max(1, connections)).toFixed(0)} requests per connection; pool limit ${DEFAULT_MAX_CONNECTIONS}; peak open ${proxy.peak})`,
        "heap after GC: baseline → peak during load → after deletions → after close()": `${(baseline / MiB).toFixed(1)} → ${(peak / MiB).toFixed(1)} → ${(afterDelete / MiB).toFixed(1)} → ${(afterClose / MiB).toFixed(1)} MiB (tolerance +${HEAP_TOLERANCE_BYTES / MiB} MiB)`,
        "VMs left on the server": remaining.length,
      };

      expect(defects).toEqual([]);
      expect(errors).toEqual({});
      expect(wrongOutput).toBe(0);
      expect(remaining).toEqual([]);
      expect(figures.operations).toBeGreaterThanOrEqual(VMS * (COMMANDS + 2));
      // Keep-alive: a bounded pool, reused across thousands of requests.
      expect(proxy.peak).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTIONS);
      expect(connections).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTIONS);
      expect(requests / connections).toBeGreaterThan(50);
      // Memory returns: nothing per VM or per run stays in the client.
      expect(growth).toBeLessThanOrEqual(HEAP_TOLERANCE_BYTES);
      expect(proxy.open).toBe(0);
    } finally {
      await Promise.allSettled([ar.close(), proxy.close()]);
      await fake.stop();
    }
  });
});
