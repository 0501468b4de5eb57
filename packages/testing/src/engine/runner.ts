import { EXIT_CODES, type FailReason } from "@arker-ai/core/contract";
import type { BackgroundRunResponse, CompletedRunResponse } from "@arker-ai/core/wire";
import { Bash } from "just-bash";
import type { VmFileSystem } from "../files/vm-filesystem.js";
import type { RunRecord, SessionRecord, VmRecord } from "../stores/records.js";
import type { RunStore } from "../stores/run-store.js";
import type { EngineClock } from "../support/clock.js";
import type { IdPrefix } from "../support/ids.js";
import { streamingScript } from "../terminal/stream-script.js";
import type { TerminalIo } from "../terminal/terminal-io.js";
import { type CommandContext, type CommandStubs, splitArgv } from "./command-stubs.js";
import { shellOutputBytes, toBytes } from "./output.js";
import { shellPulsePlugin } from "./shell-pulse.js";
import { tarCreateCommand } from "./tar-create.js";
import { terminalCommands, terminalFileSystem } from "./terminal-shell.js";
import { TimeSkipper } from "./time-skipper.js";
import { completedRunView } from "./views.js";

/**
 * Runs: execution in just-bash (or a stub), sessions' serial queues, and the timing
 * model on the fake clock.
 *
 * Timing model: a command executes at once in real time; its duration is virtual —
 * the sum of its `sleep`s and of stub `durationMs`.
 *
 * With a `"manual"` clock, while a foreground run's virtual time stays within the
 * synchronous window its sleeps return at once and, when it ends, the clock moves to
 * its end (the caller waited that long). A background run, or a foreground run whose
 * time passes the window (it is then answered 202), parks each sleep on the fake clock,
 * so it progresses only when `clock.advance` moves time. A foreground run queued behind
 * a parked run on its session is answered 202 at once.
 *
 * With an `"auto"` or `"real"` clock every sleep parks on the clock, and a foreground
 * run is answered 202 by a timer at the end of its synchronous window if it has not
 * finished by then; the clock moves by itself (time-skipping or wall time).
 *
 * @module
 */

/** What the runner needs from the engine. */
export interface RunnerHost {
  clock: EngineClock;
  /** Where runs are kept. */
  runs: RunStore;
  newId(prefix: IdPrefix): string;
  stubs: CommandStubs;
  syncWindowMs: number;
  python: boolean;
  /** Real time a shell command may take, in ms (`maxCommandMs`). */
  maxCommandMs: number;
  /** Bytes a shell command may produce, files and pipes included (`maxOutputBytes`). */
  maxOutputBytes: number;
  nextSeq(): number;
  filesystemOf(vm: VmRecord): VmFileSystem;
}

/** A run request after validation. */
export interface StartRunInput {
  command: string;
  background: boolean;
  /** Timeout in ms of fake time; 0 = none. */
  timeoutMs: number;
  env: Record<string, string> | undefined;
  cwd: string | undefined;
  /**
   * Fake time before a foreground run is answered 202 (`time_to_background`); 0 = at
   * once. Default: the fake's `syncWindowMs`.
   */
  syncWindowMs?: number | undefined;
  /**
   * Started from a terminal: output goes there as it comes, the caller waits however
   * long it takes (no synchronous window), and the terminal hears the end.
   */
  terminal?: TerminalIo;
}

/** The answer to `POST /v1/vms/{id}/runs`. */
export type RunAnswer =
  | { status: 200; body: CompletedRunResponse }
  | { status: 202; body: BackgroundRunResponse };

interface CommandOutcome {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
  failReason: FailReason | null;
  env?: Record<string, string>;
}

const BASE_ENV: Readonly<Record<string, string>> = {
  HOME: "/home/user",
  USER: "user",
  LOGNAME: "user",
  SHELL: "/bin/bash",
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "C.UTF-8",
};

// Shell bookkeeping variables that are not part of a session's environment.
const SHELL_INTERNALS = new Set([
  "IFS",
  "OSTYPE",
  "MACHTYPE",
  "HOSTTYPE",
  "HOSTNAME",
  "PWD",
  "OLDPWD",
  "OPTIND",
  "SHELLOPTS",
  "BASHOPTS",
  "?",
  "_",
  "PPID",
  "UID",
  "EUID",
  "BASHPID",
  "SHLVL",
  "RANDOM",
  "LINENO",
  "SECONDS",
  // The marker `runMarker` sets (see `#updateSession`).
  "__ARKER_RUN",
]);

/**
 * A shell variable every run sets first. just-bash answers an `exit` with the shell's
 * initial state (cwd `/`, no exports), so a run whose final state lacks the marker
 * ended with `exit` and must leave its session as it was (issue 11, item 6).
 */
const RUN_MARKER = "__ARKER_RUN";
/**
 * How much earlier than `maxCommandMs` (by `performance.now()`) just-bash's deadline may
 * fire: it counts with `Date.now()` and timers, which can land a millisecond or so short,
 * so a nested shell cut off at the cap measured 799.x ms for an 800 ms cap (CI flake).
 */
const DEADLINE_SLACK_MS = 50;

// Commands with no output and no side effect, answered without the shell: they are
// the bulk of throughput benchmarks and cost ~60 µs each in just-bash.
const TRIVIAL_COMMANDS = new Map<string, number>([
  ["true", 0],
  [":", 0],
  ["false", 1],
]);

const EMPTY = new Uint8Array(0);
/** A run's callbacks before it has any: shared, never pushed to (lists are replaced). */
const NO_CALLBACKS: Array<() => void> = [];
const encoder = new TextEncoder();

interface SessionShell {
  bash: Bash;
  current: RunRecord | undefined;
  /** The terminal of the current run, in a terminal's shell. */
  terminal: TerminalIo | undefined;
  /** Whether the current terminal line reached its end-of-line marker (no `exit`). */
  lineEnded: boolean;
}

/** A session's runs, executed one after another. */
interface SessionQueue {
  /** Resolves when the last queued run of the session has finished. */
  tail: Promise<void>;
  /** Runs queued or executing on the session, oldest first. */
  pending: RunRecord[];
}

/** Executes runs for the engine. */
export class Runner {
  readonly #host: RunnerHost;
  readonly #shells = new WeakMap<SessionRecord, SessionShell>();
  /** Each session's shell for terminal commands (its output streams; `stty` answers). */
  readonly #terminalShells = new WeakMap<SessionRecord, SessionShell>();
  readonly #terminals = new WeakMap<RunRecord, TerminalIo>();
  readonly #terminalRuns = new Map<TerminalIo, RunRecord>();
  /** Terminal runs whose line ran `exit`: their shell ends. */
  readonly #shellExits = new WeakSet<RunRecord>();
  readonly #queues = new WeakMap<SessionRecord, SessionQueue>();
  /**
   * How many runs can progress without fake time passing (head of their session, not
   * parked; each run's `executing` says which); foreground ones only when the clock is
   * not manual (a manual clock never parks them inside their window). Counts and flags
   * rather than sets: a set that fills and empties once per run reallocates its table
   * each time.
   */
  #executing = 0;
  /** Resolved when no run is executing any more. */
  #idleWaiters: Array<() => void> = [];
  /** How many foreground runs' callers still wait for the answer (each run's `waiting`). */
  #waiting = 0;
  readonly #manual: boolean;
  readonly #skipper: TimeSkipper;

  /** Creates a runner over the engine's services. */
  constructor(host: RunnerHost) {
    this.#host = host;
    this.#manual = host.clock.mode === "manual";
    this.#skipper = new TimeSkipper(host.clock, () => this.#waiting > 0);
    host.clock.setQuiescence(() => this.#quiescent());
  }

  /**
   * A `GET` of a run answered it `running`: with an `"auto"` clock, time jumps once
   * (after the answer) so that the next poll sees progress.
   */
  polledRunning(): void {
    this.#skipper.polledRunning();
  }

  /** Resolves once the `"auto"` clock has made every jump owed to earlier polls. */
  pollJumpsDone(): Promise<void> {
    return this.#skipper.pollJumpsDone();
  }

  /** Whether time must wait for this run while it executes (see `#executing`). */
  #holdsTimeBack(run: RunRecord): boolean {
    return !run.attached || !this.#manual;
  }

  async #quiescent(): Promise<void> {
    while (this.#executing > 0) {
      await new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
      });
    }
  }

  #startExecuting(run: RunRecord): void {
    if (run.executing) return;
    run.executing = true;
    this.#executing++;
  }

  /** Returns whether the run was executing. */
  #stopExecuting(run: RunRecord): boolean {
    if (!run.executing) return false;
    run.executing = false;
    this.#executing--;
    if (this.#executing === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    return true;
  }

  #startWaiting(run: RunRecord): void {
    if (run.waiting) return;
    run.waiting = true;
    this.#waiting++;
  }

  #stopWaiting(run: RunRecord): void {
    if (!run.waiting) return;
    run.waiting = false;
    this.#waiting--;
  }

  /**
   * The `"auto"` clock moves for a foreground caller only once nothing else can
   * progress: its time-skipping is started when the engine turns quiescent with a
   * foreground run waiting, not for every foreground run — one that ends without parking
   * on the clock (most commands) never needs time to move.
   */
  #foregroundMayWait(): void {
    if (this.#executing === 0 && this.#waiting > 0) this.#skipper.foregroundStarted();
  }

  #queueOf(session: SessionRecord): SessionQueue {
    let queue = this.#queues.get(session);
    if (queue === undefined) {
      queue = { tail: Promise.resolve(), pending: [] };
      this.#queues.set(session, queue);
    }
    return queue;
  }

  /** Whether a run is queued or executing on the session. */
  isSessionBusy(session: SessionRecord): boolean {
    return (this.#queues.get(session)?.pending.length ?? 0) > 0;
  }

  /** Cancels every run queued or executing on the session (before it is deleted). */
  cancelSession(session: SessionRecord): void {
    for (const run of [...(this.#queues.get(session)?.pending ?? [])]) this.cancel(run);
  }

  /**
   * Starts a run and answers it: 200 when finished in the window, else 202. A command
   * that ends at once with nothing ahead of it on its session is answered on the spot
   * (see {@link Runner.#endsAtOnce}); anything else resolves later.
   */
  start(
    vm: VmRecord,
    session: SessionRecord,
    input: StartRunInput,
  ): RunAnswer | Promise<RunAnswer> {
    const clock = this.#host.clock;
    const queue = this.#queueOf(session);
    const outcome = this.#endsAtOnce(queue, input);
    const run: RunRecord = {
      id: this.#host.newId("run"),
      vmId: vm.id,
      sessionId: session.id,
      seq: this.#host.nextSeq(),
      command: input.command,
      state: "running",
      startedAt: clock.now(),
      completedAt: null,
      exitCode: null,
      failReason: null,
      stdout: EMPTY,
      stderr: EMPTY,
      retryCount: 0,
      timeoutMs: input.timeoutMs,
      syncWindowMs: input.syncWindowMs ?? this.#host.syncWindowMs,
      attached: !input.background,
      elapsedMs: 0,
      begun: false,
      abort: undefined,
      stopped: false,
      wake: undefined,
      settled: NO_CALLBACKS,
      timers: NO_CALLBACKS,
      answer: undefined,
      queue: queue.pending,
      inFlight: false,
      executing: false,
      waiting: false,
    };
    if (outcome !== undefined) {
      this.#host.runs.add(run);
      run.begun = true;
      this.#record(run, outcome);
      this.#host.runs.settle(run);
      return { status: 200, body: completedRunView(run) };
    }
    const answer = new Promise<RunAnswer>((resolve) => {
      run.answer = (detached) => {
        run.answer = undefined;
        resolve(
          detached
            ? { status: 202, body: { run_id: run.id, state: "running" } }
            : { status: 200, body: completedRunView(run) },
        );
      };
    });
    // Manual clock: behind a run parked on the clock, this one cannot finish until time moves.
    let queuedBehindParked = false;
    for (const other of queue.pending) if (other.wake !== undefined) queuedBehindParked = true;
    const headOfQueue = queue.pending.length === 0;
    this.#host.runs.add(run);
    queue.pending.push(run);
    // Manual clock: a terminal's command waits on fake time like a background run, so
    // a test sees its output appear as it advances the clock.
    const parksOnClock = this.#manual && (queuedBehindParked || input.terminal !== undefined);
    if (input.background || run.syncWindowMs === 0 || parksOnClock) this.#detach(run);
    if (input.terminal !== undefined) {
      this.#terminals.set(run, input.terminal);
      this.#terminalRuns.set(input.terminal, run);
    }
    if (run.attached) {
      this.#startWaiting(run);
      if (!this.#manual && input.terminal === undefined) {
        run.timers = [
          ...run.timers,
          clock.schedule(clock.now() + run.syncWindowMs, () => {
            if (run.state === "running") this.#detach(run);
            return undefined;
          }),
        ];
      }
    }
    if (headOfQueue && this.#holdsTimeBack(run)) this.#startExecuting(run);
    const previous = queue.tail;
    queue.tail = previous.then(() => this.#execute(vm, session, run, input)).catch(() => undefined);
    if (run.attached) this.#foregroundMayWait();
    return answer;
  }

  /**
   * The outcome of a foreground command that needs neither a stub nor the shell and
   * would start at once (nothing queued on its session) with time not manual: such a
   * run ends before anything could observe it running, so it needs no queue turn, no
   * window timer and no promise (the bulk of a throughput benchmark's runs).
   */
  #endsAtOnce(queue: SessionQueue, input: StartRunInput): CommandOutcome | undefined {
    if (this.#manual || input.background || input.terminal !== undefined) return undefined;
    if (queue.pending.length > 0 || !this.#host.stubs.empty) return undefined;
    if ((input.syncWindowMs ?? this.#host.syncWindowMs) === 0) return undefined;
    return trivialOutcome(input);
  }

  /** Cancels a running run: state `cancelled`, exit 130. */
  cancel(run: RunRecord): void {
    this.#kill(run, "cancelled", "cancelled", EXIT_CODES.cancelled);
  }

  /**
   * Signals the command in flight on the session (the oldest run queued or executing on
   * it): it ends `failed`, `fail_reason: "signal"`, exit 128 + `number`. Returns that run,
   * or `undefined` when none was in flight. Runs queued behind it go on.
   */
  signal(session: SessionRecord, number: number): RunRecord | undefined {
    for (const run of this.#queues.get(session)?.pending ?? []) {
      if (run.state !== "running") continue;
      this.#kill(run, "failed", "signal", 128 + number);
      return run;
    }
    return undefined;
  }

  /** Fails a running run because its host died: state `failed`, `host_failed`, exit 137. */
  failForHost(run: RunRecord): void {
    this.#kill(run, "failed", "host_failed", EXIT_CODES.hostFailed);
  }

  #kill(run: RunRecord, state: "cancelled" | "failed", reason: FailReason, exitCode: number): void {
    if (run.state !== "running") return;
    run.state = state;
    run.failReason = reason;
    run.exitCode = exitCode;
    run.completedAt = Math.max(this.#host.clock.now(), run.startedAt);
    this.#stop(run);
    run.wake?.();
    this.#finalize(run);
  }

  #stop(run: RunRecord): void {
    run.stopped = true;
    run.abort?.abort();
  }

  #detach(run: RunRecord): void {
    run.attached = false;
    this.#stopWaiting(run);
    run.answer?.(true);
  }

  #markSettled(run: RunRecord): void {
    const wasExecuting = this.#stopExecuting(run);
    const waiters = run.settled;
    if (waiters.length > 0) {
      run.settled = NO_CALLBACKS;
      for (const resolve of waiters) resolve();
    }
    if (wasExecuting) this.#foregroundMayWait();
  }

  #whenSettled(run: RunRecord): Promise<void> {
    if (run.state !== "running") return Promise.resolve();
    return new Promise<void>((resolve) => {
      run.settled = [...run.settled, resolve];
    });
  }

  /** The virtual `sleep` of a run (also used for stub durations). */
  async #sleep(run: RunRecord, ms: number): Promise<void> {
    if (run.stopped || run.state !== "running") return;
    const clock = this.#host.clock;
    const next = run.elapsedMs + Math.max(0, ms);
    const timeout = run.timeoutMs;
    const window = run.syncWindowMs;
    if (run.attached && this.#manual) {
      if (next <= window && (timeout === 0 || next <= timeout)) {
        run.elapsedMs = next;
        return;
      }
      if (timeout > 0 && timeout <= window && next > timeout) {
        run.elapsedMs = timeout;
        run.failReason = "timeout";
        this.#stop(run);
        return;
      }
      this.#detach(run);
    }
    run.elapsedMs = next;
    const wakeAt = run.startedAt + next;
    if (clock.now() >= wakeAt) return;
    await new Promise<void>((resolve) => {
      const cancel = clock.schedule(wakeAt, () => {
        run.wake = undefined;
        this.#startExecuting(run);
        const settled = this.#whenSettled(run);
        resolve();
        return settled;
      });
      run.wake = () => {
        cancel();
        run.wake = undefined;
        resolve();
      };
      // Manual clock: foreground runs queued behind this one now wait on fake time too.
      if (this.#manual)
        for (const queued of run.queue) if (queued !== run && queued.attached) this.#detach(queued);
      this.#markSettled(run);
    });
  }

  #onTimeout(run: RunRecord): Promise<void> | undefined {
    if (run.state !== "running") return undefined;
    run.elapsedMs = run.timeoutMs;
    run.failReason = "timeout";
    this.#stop(run);
    if (run.wake === undefined) return undefined;
    this.#startExecuting(run);
    const settled = this.#whenSettled(run);
    run.wake();
    return settled;
  }

  /**
   * Executes a run; a command that needs neither a stub nor the shell completes at once,
   * without a further turn of promises (the bulk of a throughput benchmark's runs).
   */
  #execute(
    vm: VmRecord,
    session: SessionRecord,
    run: RunRecord,
    input: StartRunInput,
  ): Promise<void> | undefined {
    if (run.state !== "running") return undefined;
    const clock = this.#host.clock;
    run.begun = true;
    run.startedAt = clock.now();
    if (run.timeoutMs > 0) {
      run.timers = [
        ...run.timers,
        clock.schedule(run.startedAt + run.timeoutMs, () => this.#onTimeout(run)),
      ];
    }
    const trivial = this.#host.stubs.empty ? trivialOutcome(input) : undefined;
    if (trivial !== undefined) return this.#complete(session, run, input, trivial);
    return this.#runCommand(vm, session, run, input).then(
      (outcome) => this.#complete(session, run, input, outcome),
      (error: unknown) =>
        this.#complete(session, run, input, {
          stdout: EMPTY,
          stderr: encoder.encode(`${error instanceof Error ? error.message : String(error)}\n`),
          exitCode: 1,
          failReason: "error",
        }),
    );
  }

  /** Records a run's outcome and ends it (on a manual clock, once time reached its end). */
  #complete(
    session: SessionRecord,
    run: RunRecord,
    input: StartRunInput,
    outcome: CommandOutcome,
  ): Promise<void> | undefined {
    if (run.state !== "running") return undefined;
    if (outcome.env !== undefined) this.#updateSession(session, outcome.env, input);
    this.#record(run, outcome);
    if (run.attached && this.#manual) {
      return this.#host.clock
        .advanceTo(run.startedAt + run.elapsedMs)
        .then(() => this.#finalize(run));
    }
    this.#finalize(run);
    return undefined;
  }

  /** Writes a command's outcome into its run: output, exit code, state, end time. */
  #record(run: RunRecord, outcome: CommandOutcome): void {
    run.stdout = outcome.stdout;
    run.stderr = outcome.stderr;
    if (run.failReason === "timeout") {
      run.state = "failed";
      run.exitCode = EXIT_CODES.timeout;
    } else {
      run.exitCode = outcome.exitCode;
      run.failReason = outcome.failReason;
      run.state = outcome.failReason === null ? "completed" : "failed";
    }
    run.completedAt = run.startedAt + run.elapsedMs;
  }

  #finalize(run: RunRecord): void {
    this.#host.runs.settle(run);
    if (removeRun(run.queue, run)) {
      // The next run of the session starts now: time must wait for it too.
      const next = run.queue[0];
      if (next !== undefined && this.#holdsTimeBack(next)) this.#startExecuting(next);
    }
    if (run.timers.length > 0) {
      for (const cancel of run.timers) cancel();
      run.timers = NO_CALLBACKS;
    }
    this.#stopWaiting(run);
    run.answer?.(!run.attached);
    this.#markSettled(run);
    const terminal = this.#terminals.get(run);
    if (terminal !== undefined) {
      this.#terminalRuns.delete(terminal);
      terminal.ended(run.exitCode ?? 1, this.#shellExits.has(run));
    }
  }

  /** Ctrl-C: cancels the run started from this terminal, if it still runs (exit 130). */
  interruptTerminal(terminal: TerminalIo): void {
    const run = this.#terminalRuns.get(terminal);
    if (run !== undefined) this.cancel(run);
  }

  async #runCommand(
    vm: VmRecord,
    session: SessionRecord,
    run: RunRecord,
    input: StartRunInput,
  ): Promise<CommandOutcome> {
    const env = { ...BASE_ENV, ...session.env, ...(input.env ?? {}) };
    const cwd = input.cwd ?? session.cwd;
    if (!this.#host.stubs.empty) {
      const files = this.#host.filesystemOf(vm);
      const context: CommandContext = {
        command: input.command,
        argv: splitArgv(input.command),
        stdin: "",
        env,
        cwd,
        vmId: vm.id,
        files: {
          read: (path) => files.readBytes(path),
          exists: (path) => files.kindOf(path) !== undefined,
          list: (directory) => files.list(directory),
        },
      };
      const handler = this.#host.stubs.find(context);
      if (handler !== undefined) {
        const outcome = await this.#runStub(run, handler, context);
        return input.terminal === undefined ? outcome : toTerminal(outcome, input.terminal);
      }
    }
    const trivial = trivialOutcome(input);
    if (trivial !== undefined) return trivial;
    const { terminal } = input;
    const shell =
      terminal === undefined ? this.#shellOf(vm, session) : this.#terminalShellOf(vm, session);
    shell.current = run;
    shell.terminal = terminal;
    run.abort = new AbortController();
    try {
      const began = performance.now();
      const streamed = terminal === undefined ? undefined : streamingScript(input.command);
      const script =
        terminal === undefined || streamed === undefined
          ? input.command
          : `(exit ${terminal.status & 0xff})\n${streamed.script}`;
      shell.lineEnded = false;
      const result = await shell.bash.exec(`${RUN_MARKER}=1\n${exportPrelude(env)}${script}`, {
        cwd,
        env,
        signal: run.abort.signal,
      });
      if (streamed?.marked === true && !shell.lineEnded && !run.stopped) this.#shellExits.add(run);
      const limit = this.#limitHit(result, performance.now() - began);
      const outcome: CommandOutcome = {
        stdout: shellOutputBytes(result.stdout),
        stderr: shellOutputBytes(limit === undefined ? result.stderr : result.stderr + limit.note),
        exitCode: result.exitCode,
        failReason: limit?.failReason ?? null,
        env: { ...result.env },
      };
      return terminal === undefined ? outcome : toTerminal(outcome, terminal);
    } finally {
      shell.current = undefined;
      shell.terminal = undefined;
      // A settled run is kept for its answer; its controller (and signal) need not be.
      run.abort = undefined;
    }
  }

  /** Which of the fake's real-resource limits ended a shell command, if one did. */
  #limitHit(
    result: { exitCode: number; stderr: string },
    elapsedMs: number,
  ): { failReason: FailReason; note: string } | undefined {
    const { maxCommandMs, maxOutputBytes } = this.#host;
    if (
      result.exitCode === EXIT_CODES.timeout &&
      elapsedMs >= maxCommandMs - DEADLINE_SLACK_MS &&
      result.stderr.includes("execution deadline")
    ) {
      return {
        failReason: "timeout",
        note: `arker-fake: the command passed the fake's real-time limit of ${maxCommandMs} ms (option maxCommandMs)\n`,
      };
    }
    // just-bash words it "output size limit exceeded (N bytes)" or "total output size exceeded (>N bytes)".
    if (
      new RegExp(`output size (?:limit )?exceeded \\(>?${maxOutputBytes} bytes\\)`).test(
        result.stderr,
      )
    ) {
      return {
        failReason: "error",
        note: `arker-fake: the command's output passed the fake's limit of ${maxOutputBytes} bytes (option maxOutputBytes)\n`,
      };
    }
    return undefined;
  }

  async #runStub(
    run: RunRecord,
    handler: NonNullable<ReturnType<CommandStubs["find"]>>,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      result = await handler(context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        stdout: EMPTY,
        stderr: toBytes(message.endsWith("\n") ? message : `${message}\n`),
        exitCode: 1,
        failReason: "error",
      };
    }
    const duration = result?.durationMs ?? 0;
    if (Number.isFinite(duration) && duration > 0) await this.#sleep(run, duration);
    if (run.failReason === "timeout")
      return { stdout: EMPTY, stderr: EMPTY, exitCode: EXIT_CODES.timeout, failReason: "timeout" };
    return {
      stdout: toBytes(result?.stdout),
      stderr: toBytes(result?.stderr),
      exitCode: Number.isInteger(result?.exitCode) ? (result.exitCode as number) : 0,
      failReason: null,
    };
  }

  #shellOf(vm: VmRecord, session: SessionRecord): SessionShell {
    let shell = this.#shells.get(session);
    if (shell === undefined) {
      shell = this.#newShell(vm, false);
      this.#shells.set(session, shell);
    }
    return shell;
  }

  #terminalShellOf(vm: VmRecord, session: SessionRecord): SessionShell {
    let shell = this.#terminalShells.get(session);
    if (shell === undefined) {
      shell = this.#newShell(vm, true);
      this.#terminalShells.set(session, shell);
    }
    return shell;
  }

  #newShell(vm: VmRecord, forTerminal: boolean): SessionShell {
    const files = this.#host.filesystemOf(vm);
    const terminal = (): TerminalIo | undefined => created.terminal;
    const created: SessionShell = {
      bash: new Bash({
        fs: forTerminal
          ? terminalFileSystem(files, terminal, () => {
              created.lineEnded = true;
            })
          : files,
        // stty and tput answer from the terminal; outside one they fail as without a tty.
        // tar -c is written natively (tar-create.ts).
        customCommands: [...terminalCommands(terminal), tarCreateCommand(files)],
        cwd: "/",
        python: this.#host.python,
        defenseInDepth: false,
        // Real time and output are the caps (maxCommandMs, maxOutputBytes): just-bash's
        // count limits would end a busy loop after 100 000 commands, a moment that
        // depends on the machine's speed, as "completed" with exit 126.
        executionLimits: {
          maxExecutionTimeMs: this.#host.maxCommandMs,
          maxOutputSize: this.#host.maxOutputBytes,
          maxCommandCount: Number.MAX_SAFE_INTEGER,
          maxLoopIterations: Number.MAX_SAFE_INTEGER,
        },
        sleep: (ms) =>
          created.current === undefined ? Promise.resolve() : this.#sleep(created.current, ms),
        env: { ...BASE_ENV, HOSTNAME: vm.name ?? vm.id },
      }),
      current: undefined,
      terminal: undefined,
      lineEnded: false,
    };
    created.bash.registerTransformPlugin(shellPulsePlugin);
    return created;
  }

  /**
   * Keeps the session's cwd and variables; a run's own `env` and `cwd` apply to that run
   * only (a `cd` inside the command still moves the session), and a run that ended with
   * `exit` leaves the session as it was.
   */
  #updateSession(
    session: SessionRecord,
    finalEnv: Record<string, string>,
    input: StartRunInput,
  ): void {
    if (finalEnv[RUN_MARKER] === undefined) return;
    const runEnv = input.env;
    const pwd = finalEnv.PWD;
    if (typeof pwd === "string" && pwd.startsWith("/") && pwd !== input.cwd) session.cwd = pwd;
    const next: Record<string, string> = {};
    for (const [key, value] of Object.entries(finalEnv)) {
      if (SHELL_INTERNALS.has(key)) continue;
      if (BASE_ENV[key] === value && session.env[key] === undefined) continue;
      if (runEnv !== undefined && runEnv[key] === value) {
        const previous = session.env[key];
        if (previous !== undefined) next[key] = previous;
        continue;
      }
      next[key] = value;
    }
    session.env = next;
  }
}

/** The outcome of a command with no output and no side effect, answered without the shell. */
function trivialOutcome(input: StartRunInput): CommandOutcome | undefined {
  const exitCode = TRIVIAL_COMMANDS.get(input.command.trim());
  if (exitCode === undefined || input.env !== undefined) return undefined;
  return exitCode === 0 ? TRUE_OUTCOME : { ...TRUE_OUTCOME, exitCode };
}

const TRUE_OUTCOME: Readonly<CommandOutcome> = Object.freeze({
  stdout: EMPTY,
  stderr: EMPTY,
  exitCode: 0,
  failReason: null,
});

/**
 * Removes `run` from a session's queue (usually its head); whether it was the head, so the
 * next run starts now. A run taken from behind the head (cancelled while queued) starts
 * nothing: the head is still in flight, perhaps parked on the clock, not executing.
 */
function removeRun(queue: RunRecord[], run: RunRecord): boolean {
  if (queue[0] === run) {
    queue.shift();
    return true;
  }
  const index = queue.indexOf(run);
  if (index >= 0) queue.splice(index, 1);
  return false;
}

/** Sends what a command run from a terminal left in its outcome to the terminal. */
function toTerminal(outcome: CommandOutcome, terminal: TerminalIo): CommandOutcome {
  if (outcome.stdout.byteLength > 0) terminal.write(outcome.stdout);
  if (outcome.stderr.byteLength > 0) terminal.write(outcome.stderr);
  return { ...outcome, stdout: EMPTY, stderr: EMPTY };
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * just-bash's `exec({ env })` sets shell variables without exporting them, so a child
 * `sh -c` would not see them; in a real VM the run's environment is exported.
 */
function exportPrelude(env: Record<string, string>): string {
  const names = Object.keys(env).filter((name) => SHELL_NAME.test(name));
  return names.length === 0 ? "" : `export ${names.join(" ")}\n`;
}
