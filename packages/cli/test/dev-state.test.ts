import { statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type DevRecord, devPaths, ensureDir, writeRecord } from "../src/dev/state";

describe("where arker dev keeps its state (devPaths)", () => {
  it.each([
    [{ ARKER_STATE_DIR: "/s", XDG_STATE_HOME: "/x", HOME: "/h" }, "/s"],
    [{ ARKER_STATE_DIR: "", XDG_STATE_HOME: "/x", HOME: "/h" }, "/x/arker"],
    [{ XDG_STATE_HOME: "", HOME: "/h" }, "/h/.local/state/arker"],
    [{ HOME: "" }, join(homedir(), ".local", "state", "arker")],
    [{}, join(homedir(), ".local", "state", "arker")],
  ])("%j: %s (an empty variable counts as unset)", (env, dir) => {
    expect(devPaths(env)).toEqual({
      dir,
      record: join(dir, "dev.json"),
      log: join(dir, "dev.log"),
    });
  });
});

describe("the state folder and record are the owner's only", () => {
  it("ensureDir creates missing parents with mode 0700; writeRecord writes 0600", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "arker-dev-modes-")), "a", "b");
    const paths = devPaths({ ARKER_STATE_DIR: dir });
    ensureDir(paths);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const record: DevRecord = {
      pid: 1,
      url: "http://127.0.0.1:1",
      apiKey: "ark_test_k",
      controlToken: "t",
      clock: "real",
      startedAt: "2026-01-02T03:04:05.000Z",
    };
    writeRecord(paths.record, record);
    expect(statSync(paths.record).mode & 0o777).toBe(0o600);
  });
});
