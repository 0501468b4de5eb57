import type * as Undici from "undici";

/** The slice of undici the client sends with. */
export type UndiciModule = Pick<typeof Undici, "Agent" | "request" | "WebSocket">;

let loaded: UndiciModule | undefined;
let loading: Promise<UndiciModule> | undefined;

/**
 * undici, once some client has sent a first request; `undefined` before. Lets every
 * later request skip the `await` of {@link loadUndici}.
 */
export function undiciIfLoaded(): UndiciModule | undefined {
  return loaded;
}

/**
 * Loads undici on the first request instead of at import: it is most of the SDK's
 * start-up cost (a process that imports the SDK and never calls pays nothing), and the
 * first call pays it once, concurrent first calls sharing one load (BENCHMARKS.md, row 5).
 */
export function loadUndici(): Promise<UndiciModule> {
  loading ??= import("undici").then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}
