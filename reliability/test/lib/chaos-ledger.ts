import type { Vm } from "@arker-ai/sdk";
import { errorDefect } from "./errors";
import { bump } from "./figures";

/** A VM a chaos worker owns, with what the server must hold for it. */
export interface TrackedVm {
  vm: Vm;
  name: string;
  /** What each written path must hold: its SHA-256 and size. */
  files: Map<string, { sha: string; size: number }>;
  /** Mounts created through the SDK (and not removed). */
  mounts: Array<{ path: string; syncId: string }>;
  /** Mount paths removed through the SDK. */
  unmounted: string[];
  /** Sessions the VM had when it was forked (a fork may copy its parent's). */
  sessionsAtFork: Set<string>;
  /** Sessions created through the SDK. */
  sessions: string[];
}

/** A tracked VM for a VM just forked, inheriting its parent's files. */
export function trackVm(
  vm: Vm,
  name: string,
  files = new Map<string, { sha: string; size: number }>(),
): TrackedVm {
  return {
    vm,
    name,
    files: new Map(files),
    mounts: [],
    unmounted: [],
    sessionsAtFork: new Set((vm.info?.sessions ?? []).map((session) => session.session_id)),
    sessions: [],
  };
}

/**
 * What a chaos run did, as the client saw it: every SDK call, what it returned, and
 * every failure. The server-side truth is compared against it afterwards.
 */
export class ChaosLedger {
  /** SDK calls made. */
  operations = 0;
  /** Names of the VMs whose fork call returned. */
  readonly forksReturned = new Set<string>();
  /** Names of the VMs whose delete call returned. */
  readonly deleted = new Set<string>();
  /** Every `mark` command sent (one per run call). */
  readonly runCommands: string[] = [];
  /** Executions of each `mark` command, counted by the command stub itself. */
  readonly executions = new Map<string, number>();
  /** Failures of calls that had to succeed, by code. */
  readonly failures: Record<string, number> = {};
  /** Failures of probes (calls allowed to fail), by code and retryable flag. */
  readonly expectedFailures: Record<string, number> = {};
  /** Errors that were not well-formed ArkerErrors, or not the expected code. */
  readonly defects: string[] = [];
  /** Answers that did not match what was asked (wrong state, wrong bytes). */
  readonly mismatches: string[] = [];
  /** Operations chosen, by kind. */
  readonly byOperation: Record<string, number> = {};
  /** Shapes of the data written. */
  readonly forms: Record<string, number> = {};
  /** Names of filesystems created, and of those deleted, through the SDK. */
  readonly filesystemsCreated = new Set<string>();
  readonly filesystemsDeleted = new Set<string>();
  /** Bytes read back different from what was written. */
  bytesLost = 0;
  /** The VMs the workers still held at the end. */
  readonly survivors: TrackedVm[] = [];

  /** A call that must succeed: its failure is recorded (and checked for shape). */
  async call<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.operations++;
    try {
      return await work();
    } catch (error) {
      const defect = errorDefect(error);
      if (defect) this.defects.push(defect);
      bump(this.failures, (error as { code?: string }).code ?? "thrown");
      return undefined;
    }
  }

  /**
   * A call allowed to fail (or expected to, with `expectedCode`): only the error's shape
   * is checked, and its code and `retryable` counted.
   */
  async probe(expectedCode: string | null, work: () => Promise<unknown>): Promise<void> {
    this.operations++;
    try {
      await work();
      if (expectedCode !== null) this.defects.push(`expected ${expectedCode}, the call succeeded`);
    } catch (error) {
      const defect = errorDefect(error);
      if (defect) this.defects.push(defect);
      const code = (error as { code?: string }).code ?? "thrown";
      if (expectedCode !== null && code !== expectedCode)
        this.defects.push(`expected ${expectedCode}, got ${code}`);
      const retryable = (error as { retryable?: boolean }).retryable;
      bump(this.expectedFailures, `${code} (retryable ${retryable})`);
    }
  }
}
