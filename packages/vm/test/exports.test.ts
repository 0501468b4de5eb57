import { describe, expect, it } from "vitest";
import { moduleExports } from "../../../test-support/module-exports";

// The public surface, pinned: adding or removing an export is a deliberate diff here.
// Types are marked `type `; the toolkit lives in @arker-ai/core/internal, not here.
describe("the export list", () => {
  it("of @arker-ai/vm", () => {
    expect(moduleExports(new URL("../src/index.ts", import.meta.url))).toEqual([
      "type BackgroundRun",
      "type CallOptions",
      "type CompletedRun",
      "type CreateSessionOptions",
      "type CreateSyncOptions",
      "DEFAULT_POLL_INTERVAL_MS",
      "type FileData",
      "type ForkOptions",
      "type ForkSource",
      "type ForkSourceOptions",
      "isPublicGolden",
      "type ListRunsOptions",
      "type ListSessionsOptions",
      "type ListSyncsOptions",
      "type ListVmsOptions",
      "MAX_RUN_TIMEOUT_SECONDS",
      "Pty",
      "type PtyExit",
      "type PtyOptions",
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
      "type SpawnOptions",
      "type Sync",
      "type TransferProgress",
      "validatePath",
      "Vm",
      "VM_STATES",
      "VmClient",
      "type VmInfo",
      "type VmState",
      "type WaitForRunOptions",
      "type WriteFileOptions",
    ]);
  }, 120_000);
});
