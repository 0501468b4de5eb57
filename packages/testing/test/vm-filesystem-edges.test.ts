// Proves VmFileSystem edges the main unit tests leave out: ascii bytes, in-place appends, linkKindOf, self-copies.
import { describe, expect, it } from "vitest";
import { CowTree, segmentsOf } from "../src/files/cow-tree.js";
import { VmFileSystem } from "../src/files/vm-filesystem.js";

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
