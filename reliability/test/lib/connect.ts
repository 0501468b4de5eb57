import { Arker, type ArkerOptions } from "@arker-ai/sdk";
import { createFakeArker, type FakeArker, type FakeArkerOptions } from "@arker-ai/testing";

/** Whether this is the long run (`pnpm soak`, env `SOAK=1`). */
export const SOAK = process.env.SOAK !== undefined && process.env.SOAK !== "";

/** Fast retries for suites that inject faults: many tries, millisecond backoff. */
export const FAST_RETRY = { attempts: 12, baseDelayMs: 2, maxDelayMs: 20 } as const;

/** A fake (python off: the suites only need the shell and stubs) and its options. */
export function startFake(options: FakeArkerOptions = {}): Promise<FakeArker> {
  return createFakeArker({ python: false, ...options });
}

/** An `Arker` client aimed at a fake (real HTTP when the fake listens), with fast retries. */
export function arkerFor(fake: FakeArker, options: ArkerOptions = {}): Arker {
  return new Arker({
    region: "us-west-2",
    ...fake.clientOptions,
    retry: FAST_RETRY,
    logLevel: "off",
    ...options,
  });
}

/** Collects unhandled rejections while installed; `stop()` removes the listener. */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => {
    reasons.push(reason);
  };
  process.on("unhandledRejection", listener);
  return {
    reasons,
    stop: () => {
      process.off("unhandledRejection", listener);
    },
  };
}
