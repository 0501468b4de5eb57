import { createFakeArker, type FakeArker } from "./fake-arker.js";
import { interfaceAddresses, isLoopbackHost, isWildcardHost } from "./http/host-policy.js";
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
  /**
   * Host to bind; default `127.0.0.1`. Anything but loopback makes the fake (its VMs,
   * files and, with the key, its controls) reachable from other machines:
   * {@link FakeServer.exposure} then says so.
   */
  host?: string;
}

/** A started fake server. */
export interface FakeServer {
  /** The fake behind the server (controls, snapshots). */
  fake: FakeArker;
  /** The origin to use as `ARKER_BASE_URL`. */
  url: string;
  /** The default org's API key (random, new on every start unless given). */
  apiKey: string;
  /** The token of the `/_fake/*` control routes (random, new on every start). */
  controlToken: string;
  /**
   * The environment a client needs: `ARKER_BASE_URL`, `ARKER_CONTROL_BASE_URL` (the
   * same origin: the real clients send list calls to their control base URL, which
   * defaults to `https://arker.ai/api` whatever the base URL is) and `ARKER_API_KEY`.
   */
  env: { ARKER_BASE_URL: string; ARKER_CONTROL_BASE_URL: string; ARKER_API_KEY: string };
  /**
   * A warning to print when the host bound is not loopback (naming the URLs other
   * machines reach); `undefined` on loopback.
   */
  exposure: string | undefined;
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
    controlToken: fake.controlToken,
    env: { ARKER_BASE_URL: url, ARKER_CONTROL_BASE_URL: url, ARKER_API_KEY: fake.apiKey },
    exposure: exposureOf(host ?? "127.0.0.1", new URL(url).port),
    close: () => fake.close(),
  };
}

function exposureOf(host: string, port: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const addresses = isWildcardHost(host)
    ? interfaceAddresses().filter((address) => !isLoopbackHost(address))
    : [host];
  const urls = addresses.map(
    (address) => `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
  );
  return `listening on ${host}: the fake is reachable from other machines (${urls.join(", ") || "no other interface found"}); anyone who learns the API key can use it. Other machines must name it by one of those addresses or an allowedHosts name.`;
}

/**
 * The `export NAME=value` lines a shell can `eval` to point a client at the server,
 * plus `ARKER_FAKE_CONTROL_TOKEN` for scripts that drive the `/_fake/*` controls.
 */
export function exportLines(server: FakeServer): string {
  return Object.entries({ ...server.env, ARKER_FAKE_CONTROL_TOKEN: server.controlToken })
    .map(([name, value]) => `export ${name}=${value}`)
    .join("\n");
}
