/**
 * `@arker-ai/sdk`: the Arker TypeScript SDK — fork VMs in constant time, run commands,
 * move files, mount filesystems. The {@link Arker} class is the whole README surface;
 * the public API of `@arker-ai/core`, `@arker-ai/vm` and `@arker-ai/filesystems` is
 * re-exported by name (a test pins the list), and the raw wire types live under `wire`.
 *
 * @example
 * import { Arker } from "@arker-ai/sdk";
 * const ar = new Arker({ region: "us-west-2" });
 * const vm = await ar.fork("ubuntu-full");
 *
 * @module
 */
export {
  type ApiResponse,
  ARKER_ORG_ID,
  ArkerClient,
  type ArkerClientOptions,
  ArkerError,
  type ArkerErrorDetails,
  type ArkerLogger,
  type CallOptions,
  type ConnectionOptions,
  DEFAULT_CONTROL_BASE_URL,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROVIDER,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type Decoder,
  ENV,
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  type HttpMethod,
  INLINE_FILE_LIMIT_BYTES,
  LOG_LEVELS,
  type LogLevel,
  MAX_ATTEMPTS,
  MAX_PATH_BYTES,
  MAX_TIMEOUT_MS,
  NO_RETRY,
  newIdempotencyKey,
  PAGE_LIMIT,
  Page,
  PUBLIC_GOLDENS,
  parseLogLevel,
  type QueryValue,
  RESIZE_LIMITS,
  type RequestSpec,
  type RetryOptions,
  type RetryPolicy,
  type TransferSpec,
} from "@arker-ai/core";
export * as wire from "@arker-ai/core/wire";
export {
  type CreateFilesystemOptions,
  type Filesystem,
  FilesystemsClient,
  type ListFilesystemsOptions,
} from "@arker-ai/filesystems";
export {
  type BackgroundRun,
  type CompletedRun,
  type CreateSessionOptions,
  type CreateSyncOptions,
  DEFAULT_POLL_INTERVAL_MS,
  type FileData,
  type ForkOptions,
  type ForkSource,
  type ForkSourceOptions,
  isPublicGolden,
  type ListRunsOptions,
  type ListSessionsOptions,
  type ListSyncsOptions,
  type ListVmsOptions,
  MAX_RUN_TIMEOUT_SECONDS,
  Pty,
  type PtyExit,
  type PtyOptions,
  type PtyTicket,
  type ReadFileOptions,
  type ResizeSize,
  RUN_STATES,
  type RunDetails,
  type RunOptions,
  type RunResult,
  type RunState,
  type RunSummary,
  type Session,
  type SpawnOptions,
  type Sync,
  type TransferProgress,
  VM_STATES,
  Vm,
  VmClient,
  type VmInfo,
  type VmState,
  validatePath,
  type WaitForRunOptions,
  type WriteFileOptions,
} from "@arker-ai/vm";
export { Arker, type ArkerOptions } from "./arker";
