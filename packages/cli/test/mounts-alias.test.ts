import { describe, expect, it } from "vitest";
import { cliOnSharedFake } from "./harness";

const cli = cliOnSharedFake();

describe.concurrent("arker mounts (syncs kept as an alias)", () => {
  it("mounts and syncs run the same commands", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const fs = (await cli(["fs", "create", "data"])).text.trim();
    const created = await cli(["mounts", "create", vm, fs, "/mnt/data"]);
    expect(created.code, created.stderr).toBe(0);
    const sync = created.text.trim();
    const viaMounts = await cli(["mounts", "ls", vm, "--json"]);
    const viaSyncs = await cli(["syncs", "ls", vm, "--json"]);
    expect(viaMounts.json()).toEqual(viaSyncs.json());
    expect(viaMounts.json()).toMatchObject({ syncs: [{ sync_id: sync, path: "/mnt/data" }] });
  });

  it("--help names the group mounts with its alias", async () => {
    const root = await cli(["--help"]);
    expect(root.text).toMatch(/^ {2}mounts\|syncs /m);
    expect((await cli(["syncs", "--help"])).text).toMatch(/^Usage: arker mounts\|syncs /m);
  });

  it("arker sync with a subcommand word points to arker mounts", async () => {
    const result = await cli(["sync", "ls", "vm_01"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("did you mean `arker mounts ls vm_01`?");
    expect(result.stderr).not.toContain("absolute");
    const three = await cli(["sync", "get", "vm_01", "sync_01"]);
    expect(three.stderr).toContain("did you mean `arker mounts get vm_01 sync_01`?");
  });
});
