import { describe, expect, it } from "vitest";
import { allocatedNodeCount, CowTree, fileNode, segmentsOf } from "../src/files/cow-tree.js";
import { VmFileSystem } from "../src/files/vm-filesystem.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : new TextDecoder().decode(value);

function treeWithFiles(count: number): CowTree {
  const tree = new CowTree();
  for (let index = 0; index < count; index++) {
    tree.set(
      segmentsOf(`/data/d${index % 100}/f${index}`),
      fileNode(bytes(`file ${index}`), 0),
      true,
    );
  }
  return tree;
}

describe("CowTree", () => {
  it("isolates a child's writes from its parent and the parent's from the child", () => {
    const parent = treeWithFiles(10);
    const child = parent.fork();
    child.set(segmentsOf("/data/d1/f1"), fileNode(bytes("child"), 0));
    child.set(segmentsOf("/data/new"), fileNode(bytes("new"), 0));
    parent.set(segmentsOf("/data/d2/f2"), fileNode(bytes("parent"), 0));
    parent.delete(segmentsOf("/data/d3/f3"));
    const read = (tree: CowTree, path: string) => {
      const node = tree.get(segmentsOf(path));
      return node?.kind === "file" ? text(node.content) : undefined;
    };
    expect(read(parent, "/data/d1/f1")).toBe("file 1");
    expect(read(child, "/data/d1/f1")).toBe("child");
    expect(read(parent, "/data/new")).toBeUndefined();
    expect(read(child, "/data/d2/f2")).toBe("file 2");
    expect(read(parent, "/data/d2/f2")).toBe("parent");
    expect(read(child, "/data/d3/f3")).toBe("file 3");
    expect(read(parent, "/data/d3/f3")).toBeUndefined();
  });

  it("forks a 10 000-file tree without allocating a single node", () => {
    const parent = treeWithFiles(10_000);
    const before = allocatedNodeCount();
    const children = Array.from({ length: 100 }, () => parent.fork());
    expect(allocatedNodeCount() - before).toBe(0);
    for (const child of children) expect(child.root).toBe(parent.root);
    // A write copies only the directories on its path (root, /data, /data/d7) plus the file.
    const beforeWrite = allocatedNodeCount();
    children[0]!.set(segmentsOf("/data/d7/f7"), fileNode(bytes("x"), 0));
    expect(allocatedNodeCount() - beforeWrite).toBe(4);
    expect(children[1]!.root).toBe(parent.root);
    expect(children[0]!.root).not.toBe(parent.root);
  });

  it("refuses to write below a file or into a missing directory without createParents", () => {
    const tree = new CowTree();
    expect(tree.set(segmentsOf("/a/b"), fileNode(bytes("x"), 0))).toBe(false);
    expect(tree.set(segmentsOf("/a"), fileNode(bytes("x"), 0))).toBe(true);
    expect(tree.set(segmentsOf("/a/b"), fileNode(bytes("x"), 0), true)).toBe(false);
    expect(tree.delete(segmentsOf("/missing"))).toBe(false);
  });
});

describe("VmFileSystem", () => {
  it("lists directories, follows symlinks and routes mount paths to the mounted tree", async () => {
    const vmTree = new CowTree();
    const shared = new CowTree();
    const files = new VmFileSystem(
      vmTree,
      () => [{ path: "/mnt/data", tree: shared }],
      () => 0,
    );
    await files.mkdir("/home/user", { recursive: true });
    await files.writeFile("/home/user/a.txt", "alpha");
    await files.symlink("/home/user/a.txt", "/home/user/link");
    expect(await files.readFile("/home/user/link")).toBe("alpha");
    expect(await files.readlink("/home/user/link")).toBe("/home/user/a.txt");
    expect(await files.readdir("/home/user")).toEqual(["a.txt", "link"]);
    files.ensureDirectory("/mnt/data");
    await files.writeFile("/mnt/data/shared.txt", "in the filesystem");
    expect(vmTree.get(segmentsOf("/mnt/data/shared.txt"))).toBeUndefined();
    const node = shared.get(["shared.txt"]);
    expect(node?.kind === "file" ? text(node.content) : undefined).toBe("in the filesystem");
    expect(await files.readdir("/mnt/data")).toEqual(["shared.txt"]);
    await files.appendFile("/home/user/a.txt", "+beta");
    expect(await files.readFile("/home/user/a.txt")).toBe("alpha+beta");
    await files.mv("/home/user/a.txt", "/home/user/b.txt");
    expect(await files.exists("/home/user/a.txt")).toBe(false);
    await expect(files.readFile("/home/user/a.txt")).rejects.toThrow(/ENOENT/);
    await expect(files.rm("/home")).rejects.toThrow(/ENOTEMPTY/);
    await files.writeFile("/dev/null", "discarded");
    expect(await files.exists("/dev/null")).toBe(false);
  });
});

describe("VmFileSystem appends", () => {
  it("appending in place never changes an older version held elsewhere", async () => {
    const tree = new CowTree();
    const files = new VmFileSystem(
      tree,
      () => [],
      () => 0,
    );
    await files.writeFile("/log", "a");
    await files.appendFile("/log", "b");
    const fork = new VmFileSystem(
      tree.fork(),
      () => [],
      () => 0,
    );
    await files.appendFile("/log", "c");
    await fork.appendFile("/log", "X");
    await files.appendFile("/log", "d");
    expect(await files.readFile("/log")).toBe("abcd");
    expect(await fork.readFile("/log")).toBe("abX");
  });

  it("appending past the byte cap fails with ENOSPC and keeps the file", async () => {
    const files = new VmFileSystem(
      new CowTree(),
      () => [],
      () => 0,
      10,
    );
    await files.writeFile("/log", "12345");
    await expect(files.appendFile("/log", "678901")).rejects.toThrow(/ENOSPC/);
    expect(await files.readFile("/log")).toBe("12345");
  });
});
