// Proves VmFileSystem edges the main unit tests leave out: ascii bytes, in-place appends, linkKindOf, self-copies.
import { describe, expect, it } from "vitest";
import { CowTree, segmentsOf } from "../src/files/cow-tree.js";
import { type MountView, VmFileSystem } from "../src/files/vm-filesystem.js";

/** A VM filesystem over a fresh tree at fake time 1000, with this byte cap. */
function vmFiles(maxBytes?: number) {
  const tree = new CowTree();
  const files = new VmFileSystem(
    tree,
    () => [],
    () => 1000,
    maxBytes,
  );
  /** The content buffer of the file node at `path`. */
  const bufferOf = (path: string) => {
    const node = tree.get(segmentsOf(path));
    if (node?.kind !== "file") throw new Error(`no file at ${path}`);
    return node.content.buffer;
  };
  return { tree, files, bufferOf };
}

describe("VmFileSystem ascii", () => {
  it("writes and reads ascii as one byte a character, not as UTF-8", async () => {
    const { files } = vmFiles();
    await files.writeFile("/a", "\u00e9", "ascii");
    expect(await files.readFileBuffer("/a")).toEqual(Uint8Array.of(0xe9));
    // Node's ascii decoder drops the top bit: 0xe9 reads as "i", where UTF-8 gives U+FFFD.
    expect(await files.readFile("/a", "ascii")).toBe("i");
  });

  it("reads with utf8 when the options are null", async () => {
    const { files } = vmFiles();
    await files.writeFile("/u", "\u00e9");
    expect(await files.readFile("/u", null as never)).toBe("\u00e9");
  });
});

describe("VmFileSystem in-place appends", () => {
  it("appends into the spare room of the file's buffer, up to filling it exactly", async () => {
    const { files, bufferOf } = vmFiles();
    await files.appendFile("/log", "ab");
    const room = bufferOf("/log");
    // The first append keeps as much spare room as the file holds: 2 more bytes.
    expect(room.byteLength).toBe(4);
    await files.appendFile("/log", "c");
    await files.appendFile("/log", "d");
    expect(bufferOf("/log")).toBe(room);
    expect(await files.readFile("/log")).toBe("abcd");
    await files.appendFile("/log", "e");
    expect(bufferOf("/log")).not.toBe(room);
    expect(await files.readFile("/log")).toBe("abcde");
  });

  it("allows an append that brings the file to exactly the cap, naming the path written", async () => {
    const { files } = vmFiles(10);
    await files.writeFile("/log", "12345");
    await files.appendFile("/log", "67890");
    expect(await files.readFile("/log")).toBe("1234567890");
    await files.symlink("/log", "/link");
    await expect(files.appendFile("/link", "x")).rejects.toThrow(
      "ENOSPC: no space left on device, open '/link'",
    );
  });
});

describe("VmFileSystem linkKindOf and self-copies", () => {
  it("linkKindOf names a symlink itself, and undefined where nothing is", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "x");
    await files.symlink("/f", "/link");
    await files.mkdir("/d");
    expect(files.linkKindOf("/link")).toBe("symlink");
    expect(files.linkKindOf("/f")).toBe("file");
    expect(files.linkKindOf("/d")).toBe("directory");
    expect(files.linkKindOf("/none")).toBeUndefined();
  });

  it("copies a file onto itself without complaint", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "x");
    await files.cp("/f", "/f");
    expect(await files.readFile("/f")).toBe("x");
  });
});

describe("VmFileSystem mounts, links on the way, and a tree over its cap", () => {
  it("picks the longest mount path whatever the order of the mounts", async () => {
    const outer = new CowTree();
    const inner = new CowTree();
    const mounts: MountView[] = [
      { path: "/mnt/inner", tree: inner },
      { path: "/mnt", tree: outer },
    ];
    const files = new VmFileSystem(
      new CowTree(),
      () => mounts,
      () => 1000,
    );
    await files.writeFile("/mnt/inner/b", "inner");
    expect(inner.get(["b"])?.kind).toBe("file");
    expect(outer.get(["inner", "b"])).toBeUndefined();
  });

  it("lstat follows a link in the middle of the path, not at its end", async () => {
    const { files } = vmFiles();
    await files.mkdir("/real");
    await files.symlink("/real/f", "/real/link");
    await files.symlink("/real", "/abs");
    expect((await files.lstat("/abs/link")).isSymbolicLink).toBe(true);
  });

  it("lets a tree already over its cap be rewritten at the same size or smaller", async () => {
    const tree = new CowTree();
    const big = new VmFileSystem(
      tree,
      () => [],
      () => 1000,
    );
    await big.writeFile("/a", "1234567890");
    await big.writeFile("/b", "1234567890");
    const capped = new VmFileSystem(
      tree,
      () => [],
      () => 1000,
      10,
    );
    await capped.writeFile("/a", "abcdefghij");
    await capped.writeFile("/b", "x");
    expect(await capped.readFile("/a")).toBe("abcdefghij");
    expect(tree.bytes).toBe(11);
  });
});
