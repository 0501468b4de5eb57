import type { Page } from "@arker-ai/core";
import type { ListVmsOptions, VmInfo } from "@arker-ai/vm";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/support/errors";
import { withTimeout } from "../src/support/timeout";
import { resolveVmId, type VmLister } from "../src/support/vm-names";

/** Resolves after `ms`, or rejects when `signal` aborts first. */
function work(ms: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve("done"), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    });
  });
}

describe("withTimeout", () => {
  it("gives the work its seconds", async () => {
    await expect(withTimeout(1, "run x still running", (signal) => work(50, signal))).resolves.toBe(
      "done",
    );
  });

  it("past them, fails with timeout (exit 124) saying what and after how long", async () => {
    const error = await withTimeout(0.05, "run x still running", (signal) =>
      work(5_000, signal),
    ).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      code: "timeout",
      exitCode: 124,
      message: "run x still running after 0.05s",
    });
  });

  it("passes the work's own failure on, and stops the clock once the work is done", async () => {
    const failure = new Error("own failure");
    await expect(withTimeout(1, "x", () => Promise.reject(failure))).rejects.toBe(failure);
    let seen: AbortSignal | undefined;
    await withTimeout(0.02, "x", async (signal) => {
      seen = signal;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(seen?.aborted).toBe(false);
  });
});

/** A lister of `vms` recording the options it was asked with. */
function lister(vms: Array<Pick<VmInfo, "vm_id" | "name" | "created_at">>) {
  const asked: ListVmsOptions[] = [];
  const arker: VmLister = {
    listVms: async (options) => {
      asked.push(options);
      return (async function* () {
        yield* vms;
      })() as unknown as Page<VmInfo>;
    },
  };
  return { arker, asked };
}

describe("resolveVmId", () => {
  const vm = (id: string, name: string) => ({ vm_id: id, name, created_at: `${id}-time` });

  it("looks a name up in pages of 1000", async () => {
    const { arker, asked } = lister([vm("vm_1", "a"), vm("vm_2", "b")]);
    expect(await resolveVmId(arker, "b")).toBe("vm_2");
    expect(asked).toEqual([{ limit: 1000 }]);
  });

  it("no VM of that name is not_found (exit 5)", async () => {
    const { arker } = lister([vm("vm_1", "a")]);
    await expect(resolveVmId(arker, "b")).rejects.toMatchObject({ code: "not_found", exitCode: 5 });
  });

  it("several are ambiguous (exit 2), each listed with its creation time", async () => {
    const { arker } = lister([vm("vm_1", "a"), vm("vm_2", "a")]);
    await expect(resolveVmId(arker, "a")).rejects.toMatchObject({
      code: "ambiguous",
      exitCode: 2,
      message:
        '2 VMs are named "a": vm_1 (created vm_1-time), vm_2 (created vm_2-time); pass an id',
    });
  });
});
