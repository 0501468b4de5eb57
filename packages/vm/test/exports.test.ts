import { describe, expect, it } from "vitest";
import { moduleExports } from "../../../test-support/module-exports";

// The public surface, pinned: adding or removing an export is a deliberate diff here.
// Types are marked `type `; the toolkit lives in @arker-ai/core/internal, not here.
describe("the export list", () => {
  it("of @arker-ai/vm", () => {
    expect(moduleExports(new URL("../src/index.ts", import.meta.url))).toEqual([
      "type BackgroundRun",
      "type CallOptions",
      "CommandFailedError",
      "type CompletedRun",
      "type CreatedSession",
      "type CreatedSync",
      "type CreateSessionOptions",
      "type CreateSyncOptions",
      "DEFAULT_POLL_INTERVAL_MS",
      "type ExecOptions",
      "type ExecResult",
      "type FileData",
      "type FileToWrite",
      "type ForkedVmInfo",
      "type ForkOptions",
      "type ForkSource",
      "type ForkSourceOptions",
      "isPublicGolden",
      "type ListRunsOptions",
      "type ListSessionsOptions",
      "type ListSyncsOptions",
      "type ListVmsOptions",
      "MAX_RUN_TIMEOUT_SECONDS",
      "type PtyTicket",
      "type ReadFileOptions",
      "type ResizeSize",
      "RUN_STATES",
      "type RunDetails",
      "type RunOptions",
      "type RunResult",
      "type RunState",
      "type RunSummary",
      "type Session",
      "type Sync",
      "type TransferProgress",
      "type TreeTransferOptions",
      "type TreeTransferResult",
      "validatePath",
      "Vm",
      "VM_STATES",
      "VmClient",
      "type VmInfo",
      "type VmState",
      "type WaitForRunOptions",
      "type WriteFileOptions",
      "type WriteFilesOptions",
    ]);
  }, 120_000);
});
