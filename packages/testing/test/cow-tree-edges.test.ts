// Proves CowTree's bookkeeping on each write: directory mtimes and modes, byte totals, and the root's refusals.
import { Map as ImmutableMap } from "immutable";
import { describe, expect, it } from "vitest";
import {
  allocatedNodeCount,
  CowTree,
  directoryNode,
  fileNode,
  nodeBytes,
  segmentsOf,
  symlinkNode,
  type TreeNode,
  totalFileBytes,
  withMetadata,
} from "../src/files/cow-tree.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("CowTree mtimes and modes", () => {
  it("a write stamps the parent directory and new parents with its time, older ancestors keep theirs", () => {
    const tree = new CowTree(undefined, 5);
    expect(tree.root.mtime).toBe(5);
    tree.set(segmentsOf("/a/b/f"), fileNode(bytes("x"), 10), true, 10);
    expect(tree.get(segmentsOf("/a"))?.mtime).toBe(10);
    expect(tree.get(segmentsOf("/a/b"))?.mtime).toBe(10);
    expect(tree.root.mtime).toBe(5);
    tree.set(segmentsOf("/a/b/g"), fileNode(bytes("y"), 20), false, 20);
    expect(tree.get(segmentsOf("/a/b"))?.mtime).toBe(20);
    expect(tree.get(segmentsOf("/a"))?.mtime).toBe(10);
    tree.delete(segmentsOf("/a/b/f"), 30);
    expect(tree.get(segmentsOf("/a/b"))?.mtime).toBe(30);
    expect(tree.get(segmentsOf("/a"))?.mtime).toBe(10);
    expect(tree.root.mtime).toBe(5);
  });

  it("keeps each directory's mode through writes and deletes below it", () => {
    const tree = new CowTree(directoryNode(0, undefined, 0o700));
    tree.set(["d"], directoryNode(0, undefined, 0o750));
    tree.set(["d", "f"], fileNode(bytes("x"), 0));
    tree.set(["d", "g"], fileNode(bytes("y"), 0));
    tree.delete(["d", "g"]);
    expect(tree.root.mode).toBe(0o700);
    expect(tree.get(["d"])?.mode).toBe(0o750);
  });

  it("gives new nodes their default modes, and withMetadata changes only mode and mtime", () => {
    expect(fileNode(bytes("x"), 1).mode).toBe(0o644);
    expect(directoryNode(1).mode).toBe(0o755);
    expect(symlinkNode("/t", 1)).toEqual({ kind: "symlink", target: "/t", mode: 0o777, mtime: 1 });
    const file = fileNode(bytes("x"), 1);
    expect(withMetadata(file, 0o600, 9)).toEqual({ ...file, mode: 0o600, mtime: 9 });
  });
});

describe("CowTree node count", () => {
  it("counts one allocation for each node made, whatever its kind", () => {
    const file = fileNode(bytes("x"), 0);
    const before = allocatedNodeCount();
    fileNode(bytes("x"), 0);
    directoryNode(0);
    symlinkNode("/t", 0);
    withMetadata(file, 0o600, 0);
    expect(allocatedNodeCount() - before).toBe(4);
  });
});

describe("CowTree byte totals", () => {
  it("counts a directory built from entries, and nothing for links", () => {
    const inner = directoryNode(
      0,
      ImmutableMap<string, TreeNode>([["f", fileNode(bytes("abc"), 0)]]),
    );
    const outer = directoryNode(
      0,
      ImmutableMap<string, TreeNode>([
        ["d", inner],
        ["g", fileNode(bytes("de"), 0)],
        ["l", symlinkNode("/somewhere/long", 0)],
      ]),
    );
    expect(nodeBytes(inner)).toBe(3);
    expect(totalFileBytes(outer)).toBe(5);
    expect(nodeBytes(undefined)).toBe(0);
    expect(nodeBytes(symlinkNode("/t", 0))).toBe(0);
    expect(new CowTree(outer).bytes).toBe(5);
  });

  it("keeps the totals on replace, move below, and delete of files and directories", () => {
    const tree = new CowTree();
    tree.set(segmentsOf("/a/b/f"), fileNode(bytes("1234"), 0), true);
    tree.set(segmentsOf("/a/g"), fileNode(bytes("12"), 0), true);
    expect(tree.bytes).toBe(6);
    tree.set(segmentsOf("/a/b/f"), fileNode(bytes("1"), 0));
    expect(tree.bytes).toBe(3);
    expect(nodeBytes(tree.get(segmentsOf("/a")))).toBe(3);
    expect(nodeBytes(tree.get(segmentsOf("/a/b")))).toBe(1);
    tree.set(segmentsOf("/a/b/l"), symlinkNode("/x", 0));
    expect(tree.bytes).toBe(3);
    tree.delete(segmentsOf("/a/b/f"));
    expect(tree.bytes).toBe(2);
    expect(nodeBytes(tree.get(segmentsOf("/a/b")))).toBe(0);
    tree.delete(segmentsOf("/a"));
    expect(tree.bytes).toBe(0);
  });
});

describe("CowTree refusals", () => {
  it("never sets or deletes the root, nor deletes below a file or a missing directory", () => {
    const tree = new CowTree();
    tree.set(["f"], fileNode(bytes("x"), 0));
    const root = tree.root;
    expect(tree.set([], directoryNode(0), true)).toBe(false);
    expect(tree.delete([])).toBe(false);
    expect(tree.delete(["f", "x"])).toBe(false);
    expect(tree.delete(["missing", "x"])).toBe(false);
    expect(tree.root).toBe(root);
  });

  it("reads nothing below a file, and segments skip empty and '.' parts", () => {
    const tree = new CowTree();
    tree.set(["f"], fileNode(bytes("x"), 0));
    expect(tree.get(["f", "x"])).toBeUndefined();
    expect(tree.get([])).toBe(tree.root);
    expect(segmentsOf("/a/./b//c/")).toEqual(["a", "b", "c"]);
    expect(segmentsOf("/")).toEqual([]);
  });

  it("replaceRoot swaps the whole content", () => {
    const tree = new CowTree();
    const other = directoryNode(
      0,
      ImmutableMap<string, TreeNode>([["f", fileNode(bytes("xy"), 0)]]),
    );
    tree.replaceRoot(other);
    expect(tree.root).toBe(other);
    expect(tree.bytes).toBe(2);
  });
});
