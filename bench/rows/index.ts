import type { BenchContext } from "../lib/context.js";
import type { RowResult } from "../lib/result.js";
import { runBundleSize } from "./bundle-size.js";
import { runExecLatency } from "./exec-latency.js";
import { runFakeThroughput } from "./fake-throughput.js";
import { runForkGrowth } from "./fork-growth.js";
import { runLargeFiles } from "./large-files.js";
import { runLinkTransfers } from "./link-transfers.js";
import { runPtyEcho } from "./pty-echo.js";
import { runSdkOverhead } from "./sdk-overhead.js";
import { runStartup } from "./startup.js";
import { runStartupFirstCall } from "./startup-first-call.js";

/**
 * The rows of `pnpm bench`, in order.
 *
 * @module
 */

/** One runnable row (a row may produce several figures). */
export interface BenchRow {
  row: number;
  id: string;
  title: string;
  run(context: BenchContext): Promise<RowResult[]>;
}

/** Every row, in the order they run and are reported. */
export const ROWS: readonly BenchRow[] = [
  { row: 1, id: "sdk-overhead", title: "SDK call overhead", run: runSdkOverhead },
  { row: 2, id: "fake-throughput", title: "In-process fake throughput", run: runFakeThroughput },
  { row: 3, id: "fork-growth", title: "Fork cost growth", run: runForkGrowth },
  { row: 4, id: "large-files", title: "Large files", run: runLargeFiles },
  { row: 5, id: "startup", title: "Start-up", run: runStartup },
  {
    row: 5,
    id: "startup-first-call",
    title: "Start-up with a first call",
    run: runStartupFirstCall,
  },
  { row: 5, id: "size", title: "Bundle size", run: runBundleSize },
  { row: 6, id: "pty-echo", title: "PTY keystroke echo", run: runPtyEcho },
  { row: 7, id: "link", title: "Transfers on an emulated link", run: runLinkTransfers },
  { row: 8, id: "exec", title: "exec latency", run: runExecLatency },
];
