import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Which code a run measured: the commit, and whether `packages/` had uncommitted
 * changes (the bench builds and measures the working tree).
 *
 * @module
 */

/** The measured source. */
export interface SourceInfo {
  /** `git rev-parse HEAD`, or `unknown` outside a git checkout. */
  commit: string;
  /** Whether tracked files under `packages/` differed from that commit when the run started. */
  packagesDirty: boolean;
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Reads the commit and the state of `packages/`. */
export function sourceInfo(): SourceInfo {
  const git = (args: string[]) =>
    spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git(["rev-parse", "HEAD"]) || "unknown";
  const packagesDirty =
    git(["status", "--porcelain", "--untracked-files=no", "--", "packages"]) !== "";
  return { commit, packagesDirty };
}
