/**
 * `@arker-ai/vm`: the VM client of the Arker SDK — fork, list, get, and a `Vm` handle to
 * run commands, move files, manage sessions and mounts, resize and delete.
 *
 * @example
 * import { ArkerClient } from "@arker-ai/core";
 * import { VmClient } from "@arker-ai/vm";
 * const vms = new VmClient(new ArkerClient({ region: "us-west-2" }));
 * const vm = await vms.fork("ubuntu-full");
 *
 * @module
 */

export type { CallOptions } from "@arker-ai/core";
export type {
  RunState,
  RunSummary,
  Session,
  SignalName,
  Sync,
  Tunnel,
  TunnelProtocol,
  TunnelState,
  TunnelVisibility,
  VmState,
} from "@arker-ai/core/wire";
export { CommandFailedError, type ExecOptions, type ExecResult } from "./resources/exec";
export type { ReadFileOptions, TransferProgress, WriteFileOptions } from "./resources/files";
export {
  type ForkOptions,
  type ForkSourceOptions,
  isPublicGolden,
} from "./resources/fork-request";
export type { CreatedSync, CreateSyncOptions, ListSyncsOptions } from "./resources/mounts";
export type { PtyOptions, SpawnOptions } from "./resources/pty";
export { Pty, type PtyExit } from "./resources/pty-handle";
export type { ResizeSize } from "./resources/resize-request";
export type {
  BackgroundRun,
  CompletedRun,
  RunDetails,
  RunResult,
} from "./resources/run-decoders";
export { MAX_RUN_TIMEOUT_SECONDS, type RunOptions } from "./resources/run-request";
export {
  DEFAULT_POLL_INTERVAL_MS,
  type ListRunsOptions,
  RUN_STATES,
  type WaitForRunOptions,
} from "./resources/runs";
export type {
  CreatedSession,
  CreateSessionOptions,
  ListSessionsOptions,
  PtyTicket,
} from "./resources/sessions";
export type { SignalOptions, SignalResult } from "./resources/signals";
export type {
  CreatedTunnel,
  CreateTunnelOptions,
  ListTunnelsOptions,
} from "./resources/tunnels";
export type { TreeTransferOptions, TreeTransferResult } from "./resources/upload";
export type { FileToWrite, WriteFilesOptions } from "./resources/write-files";
export type { FileData } from "./support/file-data";
export { validatePath } from "./validate-path";
export { type ForkedVmInfo, Vm, type VmInfo } from "./vm";
export { type ForkSource, type ListVmsOptions, VM_STATES, VmClient } from "./vm-client";
