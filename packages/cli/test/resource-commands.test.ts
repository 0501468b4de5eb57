import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, requireBuiltBinary, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
});

afterAll(async () => {
  await fake?.close();
});

async function ok(args: string[], options?: Parameters<typeof cli>[1]) {
  const result = await cli(args, options);
  expect(result.code, `arker ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

describe.concurrent("fs", () => {
  it("create prints the id; ls, get and rm, human and --json", async () => {
    const name = `datasets-${Date.now()}`;
    const id = (await ok(["fs", "create", name])).text.trim();
    expect(id).toMatch(/^fs_/);
    const created = (await ok(["fs", "create", `${name}-b`, "--json"])).json();
    expect(created).toMatchObject({
      name: `${name}-b`,
      filesystem_id: expect.stringMatching(/^fs_/),
    });

    const table = await ok(["fs", "ls", "--name-prefix", name]);
    const lines = table.text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SIZE\s+CREATED$/);
    expect(lines).toHaveLength(3);
    const listed = (
      await ok(["fs", "ls", "--name-prefix", name, "--json", "--limit", "1", "--all"])
    ).json<{
      filesystems: Array<{ filesystem_id: string }>;
      nextCursor: null;
    }>();
    expect(listed.filesystems.map((fs) => fs.filesystem_id)).toEqual([created.filesystem_id, id]);
    expect(listed.nextCursor).toBeNull();

    const human = await ok(["fs", "get", id]);
    expect(human.text).toMatch(new RegExp(`^id {7}${id}\\nname {5}${name}\\n`));
    expect((await ok(["fs", "get", id, "--json"])).json()).toMatchObject({
      filesystem_id: id,
      name,
    });

    expect((await ok(["fs", "rm", "--yes", id, created.filesystem_id as string])).text).toBe(
      `${id}\n${created.filesystem_id}\n`,
    );
    const gone = await cli(["fs", "get", id]);
    expect(gone.code).toBe(5);
  });
});

describe.concurrent("syncs", () => {
  it("create mounts a filesystem; ls, get, rm; a mounted filesystem cannot be deleted", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const fs = (await ok(["fs", "create", `mount-${vm}`])).text.trim();
    const sync = (await ok(["syncs", "create", vm, fs, "/home/user/data"])).text.trim();
    expect(sync).toMatch(/^sync_/);
    await ok(["run", vm, "--", "echo shared > /home/user/data/note.txt"]);

    const table = await ok(["syncs", "ls", vm]);
    expect(table.text).toMatch(/^ID\s+FILESYSTEM\s+PATH\n/);
    expect(table.text).toContain(`${sync}  ${fs}  /home/user/data`);
    const listed = (await ok(["syncs", "ls", vm, "--json", "--filesystem", fs])).json<{
      syncs: Array<{ sync_id: string }>;
      nextCursor: null;
    }>();
    expect(listed).toEqual({
      syncs: [expect.objectContaining({ sync_id: sync })],
      nextCursor: null,
    });
    expect((await ok(["syncs", "get", vm, sync, "--json"])).json()).toEqual({
      sync_id: sync,
      vm_id: vm,
      filesystem_id: fs,
      path: "/home/user/data",
    });
    expect((await ok(["syncs", "get", vm, sync])).text).toBe(
      `id          ${sync}\nvm          ${vm}\nfilesystem  ${fs}\npath        /home/user/data\n`,
    );

    const busy = await cli(["fs", "rm", "-y", fs]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^arker: conflict: /m);

    expect((await ok(["syncs", "rm", vm, sync, "--yes", "--json"])).json()).toEqual({
      deleted: [sync],
      failed: [],
    });
    // The files stay in the filesystem: mount it on another VM and read them.
    const other = (await ok(["fork", "ubuntu"])).text.trim();
    await ok(["syncs", "create", other, fs, "/mnt/data", "--json"]);
    expect((await ok(["sync", other, "/mnt/data/note.txt"])).text).toBe("shared\n");
  });
});

describe.concurrent("sessions", () => {
  it("create with --env and --cwd; ls, get, rm", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const session = (
      await ok(["sessions", "create", vm, "--env", "MODE=dev", "--env", "LEVEL=2", "--cwd", "/tmp"])
    ).text.trim();
    expect(session).toMatch(/^sess_/);
    const json = (await ok(["sessions", "create", vm, "--json"])).json();
    expect(json).toMatchObject({ session_id: expect.stringMatching(/^sess_/), cwd: "/home/user" });

    const shown = (await ok(["sessions", "get", vm, session, "--json"])).json();
    expect(shown).toMatchObject({
      session_id: session,
      cwd: "/tmp",
      env: { MODE: "dev", LEVEL: "2" },
    });
    const details = (await ok(["sessions", "get", vm, session])).text;
    expect(details).toMatch(/\ncwd {6}\/tmp\nenv {6}MODE, LEVEL\n/);
    expect(details).toMatch(new RegExp(`^id {7}${session}\nindex {4}\\d+\nstate {4}\\w+\n`));
    expect((await ok(["run", vm, "--session", session, "--", 'echo "$MODE"; pwd'])).text).toBe(
      "dev\n/tmp\n",
    );

    const table = await ok(["sessions", "ls", vm]);
    expect(table.text).toMatch(/^ID\s+INDEX\s+STATE\s+CWD\s+STARTED\n/);
    expect(table.text).toContain(session);
    const listed = (await ok(["sessions", "ls", vm, "--json"])).json<{
      sessions: Array<{ session_id: string }>;
      nextCursor: string | null;
    }>();
    expect(listed.sessions.map((entry) => entry.session_id)).toContain(session);

    expect((await ok(["sessions", "rm", vm, session, "--yes"])).text).toBe(`${session}\n`);
    const gone = await cli(["sessions", "get", vm, session]);
    expect(gone.code).toBe(5);
  });
});
