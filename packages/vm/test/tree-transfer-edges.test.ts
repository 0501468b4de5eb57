import { execFileSync } from "node:child_process";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArkerClient } from "@arker-ai/core";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { type TransferProgress, VmClient } from "../src/index";
import { climbsOut, remoteBaseName } from "../src/resources/upload";
import { readTar, type TarEntry, TarWriter } from "../src/support/tar";
import { completedRun } from "./run-answers";
import { tarServingVm } from "./tar-serving-vm";

// vm.upload and vm.download at their edges: refusals word for word, counts, a file at
// the VM's root, archives with hard links and repeated names (found by mutation testing:
// TESTING.md). The fake runs in process: no 50 MiB trees here.
const open: Array<{ close(): Promise<void> }> = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
  await cleanup();
});

async function forkedVm() {
  const fake = await createFakeArker({ python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vm: await new VmClient(client).fork("ubuntu") };
}

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "arker-edge-"));
  folders.push(folder);
  return folder;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error.code).toBe("bad_request");
  return error.message;
}

describe("climbsOut and remoteBaseName", () => {
  it("follows .. and . segments from the link's folder", () => {
    expect(climbsOut("", "a/b")).toBe(false);
    expect(climbsOut("", "..")).toBe(true);
    expect(climbsOut("", "./a/../..")).toBe(true);
    expect(climbsOut("sub", "../a")).toBe(false);
    expect(climbsOut("sub", "../../a")).toBe(true);
    expect(climbsOut("a/b", "..//../c")).toBe(false);
    expect(climbsOut("a/b", "x/../../../..")).toBe(true);
    expect(climbsOut("", "x//../..")).toBe(true);
  });

  it("names the last segment, / for the root", () => {
    expect(remoteBaseName("/opt/app/")).toBe("app");
    expect(remoteBaseName("/opt/app.sh")).toBe("app.sh");
    expect(remoteBaseName("/")).toBe("/");
  });
});

describe("vm.upload edges", () => {
  it("refuses bad arguments word for word, sending nothing", async () => {
    const { fake, vm } = await forkedVm();
    const local = await scratch();
    const before = fake.requests.length;
    expect(await refusal(vm.upload(local, "/x", { x: 1 } as never))).toBe(
      "bad_request: upload: unknown option x",
    );
    for (const bad of ["", 5]) {
      expect(await refusal(vm.upload(bad as string, "/x"))).toBe(
        "bad_request: localPath must be a non-empty string",
      );
    }
    const absent = join(local, "absent");
    expect(await refusal(vm.upload(absent, "/x"))).toBe(
      `bad_request: cannot read ${absent}: ENOENT`,
    );
    await writeFile(join(local, "f"), "f");
    expect(await refusal(vm.upload(join(local, "f"), "/"))).toBe(
      "bad_request: remotePath of a file must name the file, not /",
    );
    expect(await refusal(vm.upload(local, "relative"))).toMatch(/^bad_request: remotePath /);
    expect(await refusal(vm.download("relative", local))).toMatch(/^bad_request: remotePath /);
    expect(await refusal(vm.upload("/dev/null", "/x"))).toBe(
      "bad_request: localPath is neither a file nor a folder: /dev/null",
    );
    expect(fake.requests.length).toBe(before);
  });

  it("puts a file at the VM's root, and under a remote path with a trailing slash", async () => {
    const { fake, vm } = await forkedVm();
    const local = await scratch();
    await writeFile(join(local, "f"), "root");
    expect(await vm.upload(join(local, "f"), "/top.txt")).toEqual({
      kind: "file",
      entries: 1,
      bytes: 4,
    });
    await vm.upload(join(local, "f"), "/opt/deep/name.txt//");
    const view = fake.files(vm.id);
    expect(new TextDecoder().decode(view.read("/top.txt"))).toBe("root");
    expect(new TextDecoder().decode(view.read("/opt/deep/name.txt"))).toBe("root");
  });

  it("counts a folder's entries and bytes, keeps modes, and reports progress", async () => {
    const { fake, vm } = await forkedVm();
    const local = await scratch();
    await mkdir(join(local, "a", "b"), { recursive: true });
    await writeFile(join(local, "a", "b", "x.sh"), "12345");
    await chmod(join(local, "a", "b", "x.sh"), 0o750);
    await writeFile(join(local, "top"), "678");
    await symlink("../top", join(local, "a", "up"));
    const seen: TransferProgress[] = [];
    const result = await vm.upload(local, "/srv", { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ kind: "directory", entries: 5, bytes: 8 });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen.at(-1) as TransferProgress;
    expect(last.transferredBytes).toBe(last.totalBytes);
    expect(last.totalBytes).toBeGreaterThan(8);
    expect((await vm.exec("stat -c %a /srv/a/b/x.sh; cat /srv/a/up")).stdout).toBe("750\n678");
    expect(fake.files(vm.id).exists("/srv/a/b")).toBe(true);
  });

  it("packs a folder's names sorted and skips a FIFO", async () => {
    let sent: Uint8Array | undefined;
    const { client } = await setup((req, res) => {
      sent = new Uint8Array(req.body);
      sendJson(res, 200, {
        ok: true,
        op: "write",
        path: "/x",
        size: 1,
        complete: true,
        extracted: 3,
      });
    });
    const local = await scratch();
    for (const name of ["c", "a", "b"]) await writeFile(join(local, name), name);
    execFileSync("mkfifo", [join(local, "pipe")]);
    const result = await new VmClient(client).vm("vm_1").upload(local, "/x");
    expect(result).toEqual({ kind: "directory", entries: 3, bytes: 3 });
    expect(readTar(sent as Uint8Array).map((entry) => entry.name)).toEqual(["a", "b", "c"]);
  });

  it("refuses a symlink that climbs out of a subfolder, naming it", async () => {
    const { vm } = await forkedVm();
    const local = await scratch();
    await mkdir(join(local, "sub"));
    await symlink("../../etc", join(local, "sub", "out"));
    expect(await refusal(vm.upload(local, "/srv"))).toBe(
      `bad_request: ${join(local, "sub", "out")} is a symlink to ../../etc, outside the folder being uploaded; nothing was sent`,
    );
  });

  it("refuses an extraction the service says did not complete", async () => {
    const { client } = await setup((_req, res) =>
      sendJson(res, 200, {
        ok: true,
        op: "write",
        path: "/x",
        size: 1,
        complete: false,
        extracted: 0,
      }),
    );
    const local = await scratch();
    await writeFile(join(local, "f"), "f");
    const error = await rejection(new VmClient(client).vm("vm_1").upload(join(local, "f"), "/x/f"));
    expect(error.message).toBe("internal: malformed response: extraction into /x did not complete");
  });
});

describe("vm.download edges", () => {
  it("refuses bad arguments word for word", async () => {
    const { vm } = await forkedVm();
    expect(await refusal(vm.download("/x", "/tmp/y", { x: 1 } as never))).toBe(
      "bad_request: download: unknown option x",
    );
    for (const bad of ["", 5]) {
      expect(await refusal(vm.download("/x", bad as string))).toBe(
        "bad_request: localPath must be a non-empty string",
      );
    }
  });

  it("writes a file to the path given, with its mode, and reports progress", async () => {
    const { vm } = await forkedVm();
    await vm.writeFile("/opt/tool", "tool!");
    await vm.exec("chmod 751 /opt/tool");
    const local = await scratch();
    const seen: TransferProgress[] = [];
    const result = await vm.download("/opt/tool", join(local, "renamed"), {
      onProgress: (p) => seen.push(p),
    });
    expect(result).toEqual({ kind: "file", entries: 1, bytes: 5 });
    expect(await readFile(join(local, "renamed"), "utf8")).toBe("tool!");
    expect((await stat(join(local, "renamed"))).mode & 0o777).toBe(0o751);
    expect(seen.at(-1)).toEqual({ transferredBytes: 5, totalBytes: 5 });
  });

  it("counts a folder's entries and bytes, keeps modes, replaces a local symlink", async () => {
    const { vm } = await forkedVm();
    const source = await scratch();
    await mkdir(join(source, "d"));
    await writeFile(join(source, "d", "a"), "aaa");
    await writeFile(join(source, "b"), "bb");
    await chmod(join(source, "d"), 0o700);
    expect(await vm.upload(source, "/srv/tree")).toEqual({
      kind: "directory",
      entries: 3,
      bytes: 5,
    });
    const local = await scratch();
    // The symlink points at a scratch file, never outside the test's own folders.
    const bystander = join(await scratch(), "bystander.txt");
    await writeFile(bystander, "untouched");
    await symlink(bystander, join(local, "b"));
    const result = await vm.download("/srv/tree", local);
    expect(result).toEqual({ kind: "directory", entries: 3, bytes: 5 });
    expect((await lstat(join(local, "b"))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(local, "b"), "utf8")).toBe("bb");
    expect(await readFile(bystander, "utf8")).toBe("untouched");
    expect(await readFile(join(local, "d", "a"), "utf8")).toBe("aaa");
    expect((await stat(join(local, "d"))).mode & 0o777).toBe(0o700);
  });
});

/** A scripted VM: the probe's stdout, then `content` for any read. */
async function scriptedVm(probe: string, content: Uint8Array, onRead: () => void = () => {}) {
  const { client, server } = await setup((req, res) => {
    const body = req.json as { command?: string };
    if (body.command !== undefined) {
      return sendJson(res, 200, completedRun(body.command.startsWith("rm ") ? "" : probe));
    }
    onRead();
    return sendJson(res, 200, {
      ok: true,
      op: "read",
      path: "/tmp/x.tar",
      size: content.byteLength,
      content: Buffer.from(content).toString("base64"),
      encoding: "base64",
    });
  });
  return { server, vm: new VmClient(client).vm("vm_1") };
}

describe("vm.download against a scripted VM", () => {
  it("a missing path is not_found at once, nothing read", async () => {
    const { server, vm } = await scriptedVm("missing\n", new Uint8Array());
    const error = await rejection(vm.download("/srv/nope", await scratch()));
    expect(error.message).toBe("not_found: file not found: /srv/nope");
    expect(error.status).toBe(404);
    expect(server.seen).toHaveLength(1);
  });

  it("quotes a path with a single quote for the VM's shell", async () => {
    const { server, vm } = await scriptedVm("missing\n", new Uint8Array());
    await rejection(vm.download("/srv/it's here", await scratch()));
    const command = (server.seen[0]!.json as { command: string }).command;
    expect(command).toContain(`if [ -d '/srv/it'\\''s here' ]`);
  });

  it("a file whose mode the probe did not print is written 0644", async () => {
    const { vm } = await scriptedVm("file\n", new TextEncoder().encode("x"));
    const local = join(await scratch(), "f");
    await vm.download("/srv/f", local);
    expect((await stat(local)).mode & 0o777).toBe(0o644);
  });

  it("reports a folder's archive progress", async () => {
    const writer = new TarWriter();
    writer.add({ kind: "file", name: "a", mode: 0o644, size: 1, content: new Uint8Array(1) });
    const tar = await writer.write();
    const { vm } = await scriptedVm("directory\n", tar);
    const seen: TransferProgress[] = [];
    await vm.download("/srv/app", await scratch(), { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ transferredBytes: tar.byteLength, totalBytes: tar.byteLength });
  });

  it("passes timeoutMs and the signal to the probe", async () => {
    const { client } = await setup(() => undefined, { retry: { attempts: 1 } });
    const vm = new VmClient(client).vm("vm_1");
    const local = await scratch();
    const timedOut = await rejection(vm.download("/srv/app", local, { timeoutMs: 50 }));
    expect(timedOut.message).toBe("network_error: request timed out after 50 ms");
    const aborted = await rejection(
      vm.download("/srv/app", local, { signal: AbortSignal.abort() }),
    );
    expect(aborted.code).toBe("aborted");
  }, 4000);
});

describe("vm.download of archives made elsewhere", () => {
  async function downloadOf(entries: TarEntry[]) {
    const writer = new TarWriter();
    for (const entry of entries) writer.add(entry);
    const tar = await writer.write();
    const { client, server } = await tarServingVm(tar);
    const local = await scratch();
    const result = await new VmClient(client).vm("vm_1").download("/srv/app", local);
    return { local, result, server };
  }

  const file = (name: string, text: string, mode = 0o644): TarEntry => ({
    kind: "file",
    name,
    mode,
    size: text.length,
    content: new TextEncoder().encode(text),
  });

  it("copies a hard link's content and mode, and lets a later entry of one name win", async () => {
    const { local, result, server } = await downloadOf([
      file("bin/tool", "v1", 0o755),
      { kind: "link", name: "again", target: "bin/tool" },
      file("twice", "first"),
      file("twice", "second", 0o600),
      { kind: "symlink", name: "ln", target: "bin/tool" },
    ]);
    expect(result).toEqual({ kind: "directory", entries: 5, bytes: 13 });
    expect(await readFile(join(local, "again"), "utf8")).toBe("v1");
    expect((await stat(join(local, "again"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(local, "twice"), "utf8")).toBe("second");
    expect((await stat(join(local, "twice"))).mode & 0o777).toBe(0o600);
    expect(await readlink(join(local, "ln"))).toBe("bin/tool");
    const commands = server.seen.map((r) => (r.json as { command?: string }).command ?? "");
    expect(commands.at(-1)).toMatch(/^rm -f \/tmp\/\.arker-download-[0-9a-f-]+\.tar$/);
  });

  it("names why an entry is refused", async () => {
    for (const [entries, name, why] of [
      [[file("a/../b", "x")], "a/../b", "the name has a '..' segment"],
      [
        [
          { kind: "directory", name: "d", mode: 0o755 },
          { kind: "symlink", name: "d/s", target: "." },
          file("d/s/x", "x"),
        ],
        "d/s/x",
        "the path goes through a symlink of the archive",
      ],
      [
        [{ kind: "link", name: "a/b/l", target: "../x" }],
        "a/b/l",
        "the link points outside the folder",
      ],
    ] as Array<[TarEntry[], string, string]>) {
      const error = await rejection(downloadOf(entries));
      expect(error.message).toBe(
        `bad_request: archive entry ${JSON.stringify(name)} refused: ${why}; nothing was written`,
      );
    }
  });

  it("takes a deep symlink climbing inside the folder, a file replacing a symlink, and files without folder entries", async () => {
    const { local, result } = await downloadOf([
      { kind: "symlink", name: "a/b/c/s", target: "../../x" },
      file("a/x", "deep"),
      { kind: "symlink", name: "swap", target: "a/x" },
      file("swap", "file now"),
      file("p/q/r.txt", "nested"),
    ]);
    expect(await readFile(join(local, "a", "b", "c", "s"), "utf8")).toBe("deep");
    expect((await lstat(join(local, "swap"))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(local, "swap"), "utf8")).toBe("file now");
    expect(await readFile(join(local, "p", "q", "r.txt"), "utf8")).toBe("nested");
    expect(result.entries).toBe(5);
  });

  it("leaves the local folder's mode alone for the archive's own ./ entry, and does not count it", async () => {
    const { local, result } = await downloadOf([
      { kind: "directory", name: "", mode: 0o711 },
      file("a", "a"),
    ]);
    expect((await stat(local)).mode & 0o777).not.toBe(0o711);
    expect(result).toEqual({ kind: "directory", entries: 1, bytes: 1 });
  });

  it("refuses a hard link to a name outside, and a symlink in a subfolder climbing out", async () => {
    for (const [bad, why] of [
      [{ kind: "link", name: "l", target: "../x" }, "the link points outside the folder"],
      [{ kind: "link", name: "l", target: "/etc/passwd" }, "the link points outside the folder"],
      [{ kind: "symlink", name: "sub/s", target: "../../x" }, "the link points outside the folder"],
    ] as Array<[TarEntry, string]>) {
      const error = await rejection(downloadOf([bad]));
      expect(error.message).toBe(
        `bad_request: archive entry ${JSON.stringify(bad.name)} refused: ${why}; nothing was written`,
      );
    }
    const { local } = await downloadOf([
      { kind: "directory", name: "sub", mode: 0o755 },
      { kind: "symlink", name: "sub/s", target: "../top" },
      file("top", "t"),
    ]);
    expect(await readFile(join(local, "sub", "s"), "utf8")).toBe("t");
  });
});
