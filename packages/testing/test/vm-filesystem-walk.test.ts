// Path resolution in one walk: links and mounts met on the way, in and out of mounts.
import { describe, expect, it } from "vitest";
import { CowTree } from "../src/files/cow-tree.js";
import { normalSegments } from "../src/files/paths.js";
import { type MountView, VmFileSystem } from "../src/files/vm-filesystem.js";

function withMounts(mounts: MountView[]): VmFileSystem {
  return new VmFileSystem(
    new CowTree(),
    () => mounts,
    () => 1000,
  );
}

async function errorCode(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("VmFileSystem path walk", () => {
  it("reads through a mount whose mount point the VM's own tree does not have", async () => {
    const data = new CowTree();
    const files = withMounts([{ path: "/mnt/data", tree: data }]);
    await files.mkdir("/mnt/data/deep/er", { recursive: true });
    await files.writeFile("/mnt/data/deep/er/f", "in the mount");
    expect(await files.readFile("/mnt/data/deep/er/f")).toBe("in the mount");
    expect((await files.stat("/mnt/data")).isDirectory).toBe(true);
    expect(await files.exists("/mnt")).toBe(false);
    expect(data.get(["deep", "er", "f"])?.kind).toBe("file");
  });

  it("follows links from the VM into a mount, and from a mount back out", async () => {
    const data = new CowTree();
    const files = withMounts([{ path: "/mnt/data", tree: data }]);
    await files.mkdir("/mnt/data/sub", { recursive: true });
    await files.writeFile("/mnt/data/sub/in", "in");
    await files.mkdir("/home", { recursive: true });
    await files.writeFile("/home/out", "out");
    await files.symlink("/mnt/data/sub", "/home/to-mount");
    await files.symlink("../../../home", "/mnt/data/sub/up");
    await files.symlink("/home/out", "/mnt/data/abs");
    expect(await files.readFile("/home/to-mount/in")).toBe("in");
    expect(await files.realpath("/home/to-mount/in")).toBe("/mnt/data/sub/in");
    expect(await files.readFile("/mnt/data/sub/up/out")).toBe("out");
    expect(await files.realpath("/mnt/data/sub/up/to-mount/up")).toBe("/home");
    expect(await files.readFile("/mnt/data/abs")).toBe("out");
    expect((await files.lstat("/mnt/data/abs")).isSymbolicLink).toBe(true);
  });

  it("writes through a link in the middle of a path into the tree it points to", async () => {
    const data = new CowTree();
    const files = withMounts([{ path: "/data", tree: data }]);
    await files.symlink("/data", "/shortcut");
    await files.writeFile("/shortcut/new", "x");
    expect(data.get(["new"])?.kind).toBe("file");
    expect(await files.readdir("/data")).toEqual(["new"]);
  });

  it("starts again from a filesystem mounted at / after a link (the adapter allows one)", async () => {
    const whole = new CowTree();
    const files = withMounts([{ path: "/", tree: whole }]);
    await files.mkdir("/dir");
    await files.writeFile("/dir/f", "x");
    await files.symlink("/dir", "/link");
    expect(await files.readFile("/link/f")).toBe("x");
    expect(whole.get(["dir", "f"])?.kind).toBe("file");
  });

  it("answers ELOOP for links that point at each other, and ENOENT below a file", async () => {
    const files = withMounts([]);
    await files.symlink("/b", "/a");
    await files.symlink("/a", "/b");
    expect(await errorCode(() => files.readFile("/a"))).toBe("ELOOP");
    expect((await files.lstat("/a")).isSymbolicLink).toBe(true);
    await files.writeFile("/file", "x");
    expect(await errorCode(() => files.readFile("/file/below"))).toBe("ENOENT");
    expect(await files.exists("/file/below")).toBe(false);
  });

  it("normalises a path to its segments", () => {
    expect(normalSegments("/a/./b/../c//d/")).toEqual(["a", "c", "d"]);
    expect(normalSegments("/")).toEqual([]);
    expect(normalSegments("/../x")).toEqual(["x"]);
  });
});
