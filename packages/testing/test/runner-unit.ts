import { FakeState, type ForkInput } from "../src/engine/fake-state.js";
import type { RunAnswer, StartRunInput } from "../src/engine/runner.js";
import type { SessionRecord, VmRecord } from "../src/stores/records.js";
import { type FakeArkerOptions, resolveOptions } from "../src/support/options.js";

/** The engine of a fresh fake (no HTTP), its first VM and that VM's default session. */
export interface RunnerBench {
  state: FakeState;
  vm: VmRecord;
  session: SessionRecord;
  /** Starts a run on the session (or another one) with defaults for every input. */
  start(
    command: string,
    input?: Partial<StartRunInput>,
    session?: SessionRecord,
  ): RunAnswer | Promise<RunAnswer>;
  /** Text of a run's output. */
  text(bytes: Uint8Array): string;
}

/** A fork of the public `ubuntu` golden with every option left at its default. */
export const UBUNTU_FORK: ForkInput = {
  sourceVmId: undefined,
  sourceVmName: "ubuntu",
  sourceOrgId: undefined,
  name: null,
  public: false,
  disk: true,
  durable: false,
  vcpuCount: undefined,
  memoryMib: undefined,
  diskMib: undefined,
};

/** Opens an engine with a manual clock (unless told otherwise) and no python. */
export function bench(options: FakeArkerOptions = {}): RunnerBench {
  const state = new FakeState(resolveOptions({ clock: "manual", python: false, ...options }));
  const vm = state.fork(state.options.orgId, UBUNTU_FORK);
  const session = state.sessionFor(vm, undefined, undefined);
  return {
    state,
    vm,
    session,
    start: (command, input = {}, target = session) =>
      state.runner.start(vm, target, {
        command,
        background: false,
        timeoutMs: 0,
        env: undefined,
        cwd: undefined,
        ...input,
      }),
    text: (bytes) => Buffer.from(bytes).toString("utf8"),
  };
}
