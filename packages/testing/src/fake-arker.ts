import type { Filesystem } from "@arker-ai/core/wire";
import type { Dispatcher } from "undici";
import { FakeDispatcher, IN_PROCESS_ORIGIN } from "./doors/dispatcher-door.js";
import { HttpDoor } from "./doors/http-door.js";
import type { CommandControls, FileView } from "./engine/command-stubs.js";
import {
  type FakeVmSnapshot,
  filesystemSnapshots,
  fileViewOf,
  vmSnapshots,
} from "./engine/snapshots.js";
import type { TunnelControls } from "./engine/tunnel-servers.js";
import type { FaultControls } from "./http/faults.js";
import { HostPolicy } from "./http/host-policy.js";
import type { RequestLogEntry } from "./http/request-log.js";
import { RequestPipeline } from "./pipeline/request-pipeline.js";
import type { FakeClock } from "./support/clock.js";
import { type FakeArkerOptions, resolveOptions } from "./support/options.js";

/**
 * `createFakeArker`: one request pipeline (over one state) behind two doors, plus the
 * test controls.
 *
 * @module
 */

/** What to pass to the SDK's client constructor. */
export interface FakeClientOptions {
  /** The default org's API key. */
  apiKey: string;
  /** `http://arker-fake.invalid` in-process, or the listening URL. */
  baseUrl: string;
  /** The in-process dispatcher; absent when listening, so the client uses real HTTP. */
  dispatcher?: Dispatcher;
}

/** A running fake Arker server. */
export interface FakeArker {
  /** The default org's API key: `ark_test_` + 32 random characters, new on every start unless given. */
  readonly apiKey: string;
  /**
   * Opens the `/_fake/*` control routes over HTTP (`Authorization: Bearer …`), like the
   * default key, and keeps working if that key is revoked. Random, new on every start.
   */
  readonly controlToken: string;
  /** The default org's id (`org_test` unless configured). */
  readonly orgId: string;
  /** The in-process door: an undici Dispatcher that needs no socket. */
  readonly dispatcher: Dispatcher;
  /** Options for the SDK: `{ apiKey, baseUrl, dispatcher }` (no dispatcher when listening). */
  readonly clientOptions: FakeClientOptions;
  /** The listening origin (e.g. `http://127.0.0.1:53211`), or `undefined` when not listening. */
  readonly url: string | undefined;
  /** The base URL clients use: the listening URL, else `http://arker-fake.invalid`. */
  readonly baseUrl: string;
  /** Fake time, starting at a fixed instant and moving as its mode says; see {@link FakeClock}. */
  readonly clock: FakeClock;
  /** Command stubs. */
  readonly commands: CommandControls;
  /** Fault injection rules. */
  readonly faults: FaultControls;
  /**
   * What serves tunnel URLs: `fake.tunnels.serve(vmId, port, (request) => new Response("hi"))`
   * stands in for a server on that port of the VM. A tunnel's `url` is
   * `<baseUrl>/_tunnels/<vm_id>/<port>/`: over HTTP when listening, through
   * `fake.dispatcher` in-process.
   */
  readonly tunnels: TunnelControls;
  /** Snapshot of every VM (goldens included), oldest first. */
  readonly vms: readonly FakeVmSnapshot[];
  /** Snapshot of every filesystem, oldest first. */
  readonly filesystems: readonly Filesystem[];
  /** The request log, oldest first; it never holds API keys or authorization headers. */
  readonly requests: readonly RequestLogEntry[];
  /** A read-only view of a VM's files (mounts included). */
  files(vmId: string): FileView;
  /**
   * The tokens of the signed URLs handed out since the last reset, oldest first — JS
   * only (no control route serves them, the request log never holds them): for tests
   * that check a client never prints or logs them.
   */
  signedUrlTokens(): string[];
  /** Adds an org (or a key to an existing one) and returns a fresh API key for it. */
  addOrg(name?: string): { orgId: string; apiKey: string };
  /** Revokes an API key (later requests with it get 401); `true` if it existed. */
  revokeKey(apiKey: string): boolean;
  /**
   * Simulates a host failure under a VM. Durable: its runs go on (`retry_count` + 1).
   * Otherwise its runs end `host_failed` (exit 137) and the VM turns `failed`: readable,
   * deletable, and 409 `conflict` to anything needing its host.
   */
  failHost(vmId: string): void;
  /** Starts over: a state identical to a fresh fake with the same options (keys included). */
  reset(): void;
  /** Stops runs, timers and the listening server. Idempotent. */
  close(): Promise<void>;
  /** Same as {@link FakeArker.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ??
  (Symbol.for("nodejs.asyncDispose") as typeof Symbol.asyncDispose);

/**
 * Creates a fake Arker server. In-process by default (`fake.dispatcher`); with
 * `listen` it also serves HTTP on 127.0.0.1 (random port unless given).
 */
export async function createFakeArker(options: FakeArkerOptions = {}): Promise<FakeArker> {
  const resolved = resolveOptions(options);
  const listen =
    options.listen === true ? {} : options.listen === false ? undefined : options.listen;
  const bound = listen === undefined ? undefined : (listen.host ?? "127.0.0.1");
  const hosts = new HostPolicy(bound, [
    ...resolved.allowedHosts,
    new URL(IN_PROCESS_ORIGIN).hostname,
  ]);
  const pipeline = new RequestPipeline(resolved, hosts);
  const dispatcher = new FakeDispatcher(pipeline, resolved.maxBodyBytes);
  const door =
    listen === undefined
      ? undefined
      : await HttpDoor.start(pipeline, { ...listen, hosts, maxBodyBytes: resolved.maxBodyBytes });
  const state = pipeline.state;
  let closing: Promise<void> | undefined;
  const baseUrl = door?.url ?? IN_PROCESS_ORIGIN;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      pipeline.close();
      await dispatcher.close();
      await door?.close();
    })();
    return closing;
  };
  const fake: FakeArker = {
    get apiKey() {
      return state.defaultApiKey;
    },
    controlToken: resolved.controlToken,
    orgId: resolved.orgId,
    dispatcher,
    get clientOptions() {
      return door === undefined
        ? { apiKey: state.defaultApiKey, baseUrl, dispatcher }
        : { apiKey: state.defaultApiKey, baseUrl };
    },
    url: door?.url,
    baseUrl,
    clock: {
      mode: state.clock.mode,
      now: () => state.clock.now(),
      advance: (ms: number) => state.clock.advance(ms),
    },
    commands: state.stubs,
    faults: state.faults,
    tunnels: { serve: (vmId, port, handler) => state.tunnelServers.serve(vmId, port, handler) },
    get vms() {
      return vmSnapshots(state, baseUrl);
    },
    get filesystems() {
      return filesystemSnapshots(state);
    },
    get requests() {
      return state.requestLog.snapshot();
    },
    files: (vmId) => fileViewOf(state, vmId),
    signedUrlTokens: () => state.files.tokens(),
    addOrg: (name) => state.orgs.addOrg(name),
    revokeKey: (apiKey) => state.orgs.revokeKey(apiKey),
    failHost: (vmId) => state.failHost(vmId),
    reset: () => state.reset(),
    close,
    [asyncDispose]: close,
  };
  return fake;
}
