import { afterEach, beforeEach } from "vitest";
import { createFakeArker, type FakeArker } from "./fake-arker.js";
import type { FakeArkerOptions } from "./support/options.js";

/**
 * Vitest helpers (`@arker-ai/testing/vitest`); kept apart so the main entry never
 * imports vitest.
 *
 * @module
 */

/**
 * Gives each test a fresh fake (created in `beforeEach`, closed in `afterEach`).
 * Call it at the top of a `describe` (or file); the returned accessor gives the
 * current test's fake.
 *
 * @example
 * ```ts
 * const fake = useFakeArker();
 * it("forks", async () => {
 *   const ar = new Arker(fake().clientOptions);
 * });
 * ```
 */
export function useFakeArker(options?: FakeArkerOptions): () => FakeArker {
  let current: FakeArker | undefined;
  beforeEach(async () => {
    current = await createFakeArker(options);
  });
  afterEach(async () => {
    const fake = current;
    current = undefined;
    await fake?.close();
  });
  return () => {
    if (current === undefined)
      throw new Error("useFakeArker: the fake exists only while a test runs");
    return current;
  };
}
