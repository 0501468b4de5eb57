import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";
import { type TarEntry, TarWriter } from "../src/support/tar";
import { tarServingVm } from "./tar-serving-vm";

const text = new TextEncoder();
const folders: string[] = [];
afterEach(async () => {
  await cleanup();
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

/** A VM whose folder `/srv/app` tars to `entries` (a scripted server). */
async function vmServing(entries: TarEntry[]) {
  const writer = new TarWriter();
  for (const entry of entries) writer.add(entry);
  const tar = await writer.write();
  const { client } = await tarServingVm(tar, { raw: true });
  return new VmClient(client).vm("vm_1");
}

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "arker-local-"));
  folders.push(folder);
  return folder;
}

const file = (name: string, content: string, mode: number): TarEntry => ({
  kind: "file",
  name,
  mode,
  size: text.encode(content).byteLength,
  content: text.encode(content),
});

describe("vm.download writes local files", () => {
  it("creates new files with the archive's modes, umask or not", async () => {
    const vm = await vmServing([file("run.sh", "#!/bin/sh\n", 0o775), file("key", "k", 0o600)]);
    const root = await scratch();
    // Worker threads may not set the umask (Stryker runs vitest in threads): there the
    // test checks the modes under the process's own umask only.
    const previous = isMainThread ? process.umask(0o077) : undefined;
    try {
      await vm.download("/srv/app", root);
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
    expect(await readFile(join(root, "run.sh"), "utf8")).toBe("#!/bin/sh\n");
    expect((await stat(join(root, "run.sh"))).mode & 0o777).toBe(0o775);
    expect((await stat(join(root, "key"))).mode & 0o777).toBe(0o600);
  });

  it("replaces an existing file's bytes and mode", async () => {
    const vm = await vmServing([file("a.txt", "new", 0o640)]);
    const root = await scratch();
    await writeFile(join(root, "a.txt"), "old and longer", { mode: 0o600 });
    await vm.download("/srv/app", root);
    expect(await readFile(join(root, "a.txt"), "utf8")).toBe("new");
    expect((await stat(join(root, "a.txt"))).mode & 0o777).toBe(0o640);
  });

  it("replaces a symlink in a file's place instead of writing through it", async () => {
    const vm = await vmServing([file("link", "inside", 0o644)]);
    const root = await scratch();
    const outside = await scratch();
    await writeFile(join(outside, "target"), "untouched");
    await mkdir(join(root, "dir"));
    await symlink(join(outside, "target"), join(root, "link"));
    await vm.download("/srv/app", root);
    expect((await lstat(join(root, "link"))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(root, "link"), "utf8")).toBe("inside");
    expect(await readFile(join(outside, "target"), "utf8")).toBe("untouched");
  });

  it("replaces a dangling symlink too", async () => {
    const vm = await vmServing([file("gone", "here", 0o644)]);
    const root = await scratch();
    await symlink(join(root, "nowhere"), join(root, "gone"));
    await vm.download("/srv/app", root);
    expect(await readFile(join(root, "gone"), "utf8")).toBe("here");
    await expect(stat(join(root, "nowhere"))).rejects.toThrow();
  });
});
