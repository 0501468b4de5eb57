import { basename } from "node:path";
import type { TestProject } from "vitest/node";
import {
  clearFigures,
  loadFigures,
  renderReport,
  type SuiteOutcome,
  writeReport,
} from "./lib/figures";

interface TaskLike {
  type: string;
  name: string;
  filepath?: string;
  result?: { state?: string; duration?: number };
  tasks?: TaskLike[];
}

function countTests(task: TaskLike): { tests: number; failed: number } {
  if (task.type === "test") {
    return { tests: 1, failed: task.result?.state === "fail" ? 1 : 0 };
  }
  return (task.tasks ?? []).reduce(
    (total, child) => {
      const counted = countTests(child);
      return { tests: total.tests + counted.tests, failed: total.failed + counted.failed };
    },
    { tests: 0, failed: 0 },
  );
}

/**
 * Clears the previous run's figures; after every suite ran, writes RELIABILITY.md from
 * the figures the suites saved and the runner's pass/fail per file.
 */
export default function setup(project: TestProject): () => void {
  clearFigures();
  return () => {
    const files = project.vitest.state.getFiles() as unknown as TaskLike[];
    const outcomes: SuiteOutcome[] = files.map((file) => {
      const { tests, failed } = countTests(file);
      return {
        suite: basename(file.filepath ?? file.name).replace(/\.test\.ts$/, ""),
        state: failed > 0 ? "fail" : (file.result?.state ?? "?"),
        tests,
        failed,
        durationMs: file.result?.duration ?? 0,
      };
    });
    const figures = loadFigures();
    if (figures.length === 0) return;
    const mode = process.env.SOAK ? "soak (SOAK=1)" : "default";
    writeReport(renderReport(figures, outcomes, mode));
  };
}
