import { createFakeArker, type FakeArker } from "./fake-arker.js";
import type { FakeArkerOptions } from "./support/options.js";

/**
 * `startFakeServer`: the listening fake as a service, for `arker-fake` and `arker dev`.
 *
 * @module
 */

/** Options of {@link startFakeServer}; unlike `createFakeArker`, `clock` defaults to `"real"`. */
export interface FakeServerOptions extends Omit<FakeArkerOptions, "listen"> {
  /** TCP port; default 0 (random). */
  port?: number;
  /** Host to bind; default `127.0.0.1`. */
  host?: string;
}

/** A started fake server. */
export interface FakeServer {
  /** The fake behind the server (controls, snapshots). */
  fake: FakeArker;
  /** The origin to use as `ARKER_BASE_URL`. */
  url: string;
  /** The default org's API key. */
  apiKey: string;
  /** The environment a client needs: `ARKER_BASE_URL` and `ARKER_API_KEY`. */
  env: { ARKER_BASE_URL: string; ARKER_API_KEY: string };
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a listening fake (loopback, random port unless given). A server is used by
 * people and programs at their own pace, so its clock follows the wall clock unless
 * `clock` says otherwise.
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const { port, host, ...rest } = options;
  const fake = await createFakeArker({
    ...rest,
    clock: rest.clock ?? "real",
    listen: { port: port ?? 0, host: host ?? "127.0.0.1" },
  });
  const url = fake.url!;
  return {
    fake,
    url,
    apiKey: fake.apiKey,
    env: { ARKER_BASE_URL: url, ARKER_API_KEY: fake.apiKey },
    close: () => fake.close(),
  };
}

/** The `export NAME=value` lines a shell can `eval` to point a client at the server. */
export function exportLines(server: FakeServer): string {
  return Object.entries(server.env)
    .map(([name, value]) => `export ${name}=${value}`)
    .join("\n");
}
