/**
 * `@arker-ai/testing`: an in-memory fake Arker server for tests. One engine, two doors:
 * an in-process undici Dispatcher (`fake.dispatcher`) and, on request, real HTTP on
 * loopback (`fake.url`).
 *
 * @example
 * ```ts
 * import { createFakeArker } from "@arker-ai/testing";
 * const fake = await createFakeArker();
 * const ar = new Arker(fake.clientOptions);
 * fake.commands.on(/^python3 train\.py$/, () => ({ stdout: "done\n" }));
 * await fake.close();
 * ```
 *
 * @module
 */

export { IN_PROCESS_ORIGIN } from "./doors/dispatcher-door.js";
export type {
  CommandContext,
  CommandControls,
  CommandHandler,
  CommandMatcher,
  CommandResult,
  FileView,
} from "./engine/command-stubs.js";
export type { FakeVmSnapshot } from "./engine/snapshots.js";
export type { TunnelControls, TunnelHandler } from "./engine/tunnel-servers.js";
export { createFakeArker, type FakeArker, type FakeClientOptions } from "./fake-arker.js";
export { allocatedNodeCount } from "./files/cow-tree.js";
export type {
  FaultControls,
  FaultEffect,
  FaultRule,
  LatencyEffect,
  ResetAfterEffect,
  ResetBeforeEffect,
  RespondEffect,
} from "./http/faults.js";
export type { RequestLogEntry } from "./http/request-log.js";
export { exportLines, type FakeServer, type FakeServerOptions, startFakeServer } from "./server.js";
export {
  CLOCK_MODES,
  type ClockMode,
  DEFAULT_START_TIME,
  type FakeClock,
} from "./support/clock.js";
export type { FakeArkerOptions, ListenOptions } from "./support/options.js";
