import type { Dispatcher } from "undici";

/**
 * Loads the workspace packages under measurement by dynamic import, so that a row whose
 * package has not been built yet is skipped with a reason instead of failing the run.
 *
 * @module
 */

/** `@arker-ai/sdk` as built. */
export type SdkModule = typeof import("@arker-ai/sdk");

/** The slice of a fake server the bench uses. */
export interface BenchFake {
  /** `{ apiKey, baseUrl, dispatcher }` (no dispatcher when listening). */
  clientOptions: { apiKey: string; baseUrl: string; dispatcher?: Dispatcher };
  /** The in-process door. */
  dispatcher: Dispatcher;
  /** The listening door's URL, with `listen: true`. */
  url: string | undefined;
  apiKey: string;
  /** A read-only view of a VM's files. */
  files(vmId: string): { list(directory: string): string[] | undefined };
  close(): Promise<void>;
}

/** The slice of `@arker-ai/testing` the bench uses. */
export interface TestingModule {
  createFakeArker(options?: { listen?: boolean; python?: boolean }): Promise<BenchFake>;
}

/** A loaded module, or why it could not be loaded. */
export type Loaded<T> = { ok: true; module: T } | { ok: false; reason: string };

/** Imports `@arker-ai/sdk` and checks it exports the `Arker` class. */
export function loadSdk(): Promise<Loaded<SdkModule>> {
  return load<SdkModule>("@arker-ai/sdk", ["Arker"]);
}

/** Imports `@arker-ai/testing` and checks it exports `createFakeArker`. */
export function loadTesting(): Promise<Loaded<TestingModule>> {
  return load<TestingModule>("@arker-ai/testing", ["createFakeArker"]);
}

/**
 * Imports `specifier` and checks that every name of `exports` is a function (a class or
 * factory); a placeholder package that has not landed fails this check.
 */
export async function load<T>(specifier: string, exports: string[]): Promise<Loaded<T>> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `${specifier} does not import: ${(error as Error).message}` };
  }
  const missing = exports.filter((name) => typeof module[name] !== "function");
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `${specifier} has not landed yet (no ${missing.join(", ")} export in its dist)`,
    };
  }
  return { ok: true, module: module as unknown as T };
}

/** Throws the reason when a module did not load; for child scripts, which cannot skip. */
export function unwrap<T>(loaded: Loaded<T>): T {
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.module;
}
