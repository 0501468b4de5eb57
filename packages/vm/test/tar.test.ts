import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";
import { readTar, type TarEntry, TarWriter } from "../src/support/tar";
import { completedRun } from "./run-answers";
import { tarServingVm } from "./tar-serving-vm";

const text = new TextEncoder();

async function archiveOf(entries: TarEntry[]): Promise<Uint8Array> {
  const writer = new TarWriter();
  for (const entry of entries) writer.add(entry);
  const tar = await writer.write();
  expect(tar.byteLength).toBe(writer.size);
  return tar;
}

describe("the tar writer and reader", () => {
  it("round-trip files, folders, links, modes and names past ustar's 100 bytes", async () => {
    const long = `${"deep/".repeat(30)}file-ü.txt`;
    const entries: TarEntry[] = [
      { kind: "directory", name: "bin", mode: 0o750 },
      { kind: "file", name: "bin/run.sh", mode: 0o755, size: 5, content: text.encode("echo\n") },
      { kind: "file", name: long, mode: 0o644, size: 3, content: text.encode("abc") },
      { kind: "file", name: "empty", mode: 0o600, size: 0, content: new Uint8Array() },
      { kind: "symlink", name: "latest", target: `${"x/".repeat(60)}target`, mode: 0o777 },
      { kind: "link", name: "again.sh", target: "bin/run.sh", mode: 0o755 },
    ];
    const read = readTar(await archiveOf(entries));
    expect(
      read.map((e) => ({
        ...e,
        ...(e.kind === "file" ? { content: [...(e.content ?? [])] } : {}),
      })),
    ).toEqual(
      entries.map((e) => ({
        ...e,
        ...(e.kind === "file" ? { content: [...(e.content ?? [])] } : {}),
      })),
    );
  });

  it("refuses a corrupted header and a truncated body with bad_request", async () => {
    const tar = await archiveOf([
      { kind: "file", name: "a", mode: 0o644, size: 600, content: new Uint8Array(600) },
    ]);
    const corrupted = tar.slice();
    corrupted[0] = 0x62;
    expect(() => readTar(corrupted)).toThrow(/bad checksum/);
    expect(() => readTar(tar.subarray(0, 700))).toThrow(/truncated/);
  });
});

describe("vm.download refuses an archive that would land outside the folder", () => {
  const folders: string[] = [];
  afterEach(async () => {
    await cleanup();
    await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
  });

  it.each<[string, TarEntry[]]>([
    [
      "a '..' name",
      [{ kind: "file", name: "../evil", mode: 0o644, size: 1, content: text.encode("x") }],
    ],
    ["an absolute symlink", [{ kind: "symlink", name: "etc", target: "/etc" }]],
    ["a symlink climbing out", [{ kind: "symlink", name: "up", target: "../.." }]],
    [
      "a path through its own symlink",
      [
        { kind: "symlink", name: "here", target: "." },
        { kind: "file", name: "here/x", mode: 0o644, size: 1, content: text.encode("x") },
      ],
    ],
  ])("%s: bad_request, nothing written", async (_what, bad) => {
    const tar = await archiveOf([
      { kind: "file", name: "first.txt", mode: 0o644, size: 1, content: text.encode("1") },
      ...bad,
    ]);
    const { client } = await tarServingVm(tar);
    const root = await mkdtemp(join(tmpdir(), "arker-slip-"));
    folders.push(root);
    const target = join(root, "out");
    const error = await rejection(new VmClient(client).vm("vm_1").download("/srv/app", target));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("nothing was written");
    expect(await readdir(root)).toEqual([]);
  });
});

describe("vm.download removes the VM's temporary archive before it settles", () => {
  const folders: string[] = [];
  afterEach(async () => {
    await cleanup();
    await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
  });

  it.each([
    ["a good archive", true],
    ["a refused archive", false],
  ])("%s: the rm was answered before the call settled", async (_what, good) => {
    const tar = await archiveOf([
      good
        ? { kind: "file", name: "ok.txt", mode: 0o644, size: 1, content: text.encode("1") }
        : { kind: "file", name: "../evil", mode: 0o644, size: 1, content: text.encode("x") },
    ]);
    let removed: string | null = null;
    const { server, client } = await setup((req, res) => {
      const body = req.json as { command?: string };
      const answer = (stdout: string) => sendJson(res, 200, completedRun(stdout));
      if (body.command?.startsWith("rm ")) {
        // Answered late: a download that did not wait for it would settle first.
        setTimeout(() => {
          removed = body.command ?? "";
          answer("");
        }, 100);
        return;
      }
      if (body.command !== undefined) return answer("directory\n");
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from(tar));
    });
    const root = await mkdtemp(join(tmpdir(), "arker-rm-"));
    folders.push(root);
    const download = new VmClient(client).vm("vm_1").download("/srv/app", join(root, "out"));
    if (good) await download;
    else expect((await rejection(download)).code).toBe("bad_request");
    const archive = (server.seen[0]!.json as { command: string }).command.match(
      /tar -cf (\/tmp\/\.arker-download-[0-9a-f-]+\.tar)/,
    )?.[1];
    expect(archive).toBeDefined();
    expect(removed).toBe(`rm -f ${archive}`);
    expect(server.seen).toHaveLength(3);
  });
});
