import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ArkerClient } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type TransferProgress, VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "arker-tree-"));
  folders.push(folder);
  return folder;
}

/** Every file under `root`: relative path → sha256 and mode. */
async function inventory(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const name = relative(root, path);
      if (entry.isDirectory()) {
        found.set(`${name}/`, ((await stat(path)).mode & 0o777).toString(8));
        await walk(path);
      } else if (entry.isSymbolicLink()) {
        found.set(name, `-> ${await readlink(path)}`);
      } else {
        const bytes = await readFile(path);
        const mode = ((await stat(path)).mode & 0o777).toString(8);
        found.set(name, `${createHash("sha256").update(bytes).digest("hex")} ${mode}`);
      }
    }
  };
  await walk(root);
  return found;
}

describe.each([
  ["in-process", false],
  ["listening", true],
])("vm.upload and vm.download against the fake (%s)", (_door, listen) => {
  // The full size once (over HTTP, the real path), a smaller tree in process: the big
  // file costs seconds in the fake's own tar.
  const [folderCount, bigMib] = listen ? [10, 50] : [2, 5];
  it(`round-trips ${folderCount * 100} small files and one ${bigMib} MiB file byte for byte, modes kept`, async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const source = await scratch();
    for (let d = 0; d < folderCount; d += 1) {
      const folder = join(source, `dir${d}`, "inner");
      await mkdir(folder, { recursive: true });
      for (let f = 0; f < 100; f += 1) {
        await writeFile(join(folder, `f${f}.txt`), `file ${d}/${f}\n`.repeat(f + 1));
      }
    }
    await writeFile(join(source, "tool.sh"), "#!/bin/sh\necho tool\n");
    await chmod(join(source, "tool.sh"), 0o755);
    await chmod(join(source, "dir1"), 0o750);
    const big = Buffer.alloc(bigMib * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    await writeFile(join(source, "big.bin"), big);

    const up: TransferProgress[] = [];
    const sent = await vm.upload(source, "/home/user/project", { onProgress: (p) => up.push(p) });
    expect(sent.kind).toBe("directory");
    expect(sent.bytes).toBeGreaterThan(big.length);
    expect(up.at(-1)?.transferredBytes).toBe(up.at(-1)?.totalBytes);
    const syncStreams = fake.requests.filter((r) => r.path.endsWith("/sync-stream"));
    expect(syncStreams).toHaveLength(1);
    expect((await vm.exec("/home/user/project/tool.sh")).stdout).toBe("tool\n");

    const target = join(await scratch(), "copy");
    const down: TransferProgress[] = [];
    const got = await vm.download("/home/user/project", target, {
      onProgress: (p) => down.push(p),
    });
    expect(got.kind).toBe("directory");
    expect(down.at(-1)?.transferredBytes).toBe(down.at(-1)?.totalBytes);
    const [before, after] = await Promise.all([inventory(source), inventory(target)]);
    expect(before.size).toBe(2 + folderCount * 2 + folderCount * 100); // tool, big, dirs, files
    expect([...after.entries()].sort()).toEqual([...before.entries()].sort());
    // The VM's temporary archive is gone.
    expect((await vm.exec("ls -a /tmp")).stdout).not.toContain(".arker-download");
  }, 60_000);

  it("uploads and downloads one file, keeping its mode; into a folder it keeps its name", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const local = await scratch();
    await writeFile(join(local, "run.sh"), "#!/bin/sh\necho one\n");
    await chmod(join(local, "run.sh"), 0o700);
    const sent = await vm.upload(join(local, "run.sh"), "/opt/bin/go.sh");
    expect(sent).toEqual({ kind: "file", entries: 1, bytes: 19 });
    expect((await vm.exec("stat -c %a /opt/bin/go.sh; /opt/bin/go.sh")).stdout).toBe("700\none\n");
    const into = await scratch();
    await vm.download("/opt/bin/go.sh", into);
    expect(await readFile(join(into, "go.sh"), "utf8")).toBe("#!/bin/sh\necho one\n");
    expect((await stat(join(into, "go.sh"))).mode & 0o777).toBe(0o700);
  });

  it("keeps symlinks inside the folder; refuses one pointing outside before sending", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const local = await scratch();
    await mkdir(join(local, "sub"));
    await writeFile(join(local, "sub", "a.txt"), "a");
    await symlink("sub/a.txt", join(local, "latest"));
    await vm.upload(local, "/srv/app");
    expect((await vm.exec("cat /srv/app/latest")).stdout).toBe("a");

    // And back: the VM's tar keeps the link a link, which the download recreates.
    const back = await scratch();
    await vm.download("/srv/app", back);
    expect((await lstat(join(back, "latest"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(back, "latest"))).toBe("sub/a.txt");
    expect(await readFile(join(back, "latest"), "utf8")).toBe("a");

    await symlink("/etc/passwd", join(local, "passwd"));
    const refused = await vm.upload(local, "/srv/other").catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe("bad_request");
    expect(String(refused)).toContain("outside the folder");
    expect(fake.files(vm.id).exists("/srv/other")).toBe(false);
  });

  it("a missing remote path is not_found; a bad remote path is bad_request", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const local = await scratch();
    const missing = await vm.download("/nope", join(local, "x")).catch((e: unknown) => e);
    expect((missing as { code?: string }).code).toBe("not_found");
    const bad = await vm.upload(local, "relative").catch((e: unknown) => e);
    expect((bad as { code?: string }).code).toBe("bad_request");
    const absent = await vm.upload(join(local, "absent"), "/x").catch((e: unknown) => e);
    expect((absent as { code?: string }).code).toBe("bad_request");
  });
});
