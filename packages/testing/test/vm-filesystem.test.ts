import { describe, expect, it } from "vitest";
import { CowTree, segmentsOf } from "../src/files/cow-tree.js";
import { type MountView, VmFileSystem } from "../src/files/vm-filesystem.js";
import { PULSE_PATH } from "../src/support/event-loop-pulse.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A VM filesystem over a fresh tree at fake time 1000, with these mounts and byte cap. */
function vmFiles(mounts: MountView[] = [], maxBytes?: number) {
  const tree = new CowTree();
  const files = new VmFileSystem(
    tree,
    () => mounts,
    () => 1000,
    maxBytes,
  );
  return { tree, files };
}

/** The error a call rejects or throws with: its code and message. */
async function failure(call: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await call();
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  throw new Error("did not fail");
}
const code = async (call: () => unknown) => (await failure(call)).code;

describe("VmFileSystem reads and writes", () => {
  it("reads and writes in each encoding, utf8 by default", async () => {
    const { files } = vmFiles();
    await files.writeFile("/b64", "aGk=", "base64");
    expect(await files.readFile("/b64")).toBe("hi");
    await files.writeFile("/hex", "6869", { encoding: "hex" });
    expect(await files.readFile("/hex", "hex")).toBe("6869");
    await files.writeFile("/l1", "\u00e9", "latin1");
    expect(await files.readFileBuffer("/l1")).toEqual(Uint8Array.of(0xe9));
    expect(await files.readFile("/l1", "binary")).toBe("\u00e9");
    expect(await files.readFile("/l1", { encoding: "latin1" })).toBe("\u00e9");
    await files.writeFile("/bin", "\u00ff", "binary");
    expect(await files.readFileBuffer("/bin")).toEqual(Uint8Array.of(0xff));
    await files.writeFile("/a", "hi", "ascii");
    expect(await files.readFile("/a", "ascii")).toBe("hi");
    expect(await files.readFile("/a", "base64")).toBe("aGk=");
    await files.writeFile("/u", "\u00e9");
    expect(await files.readFileBuffer("/u")).toEqual(Uint8Array.of(0xc3, 0xa9));
    expect(await files.readFile("/u", { encoding: null })).toBe("\u00e9");
    expect(await files.readFile("/u", {})).toBe("\u00e9");
    expect(await files.readFile("/u", "utf-8")).toBe("\u00e9");
    expect(String(await files.readFileBytes("/u"))).toBe("\u00c3\u00a9");
  });

  it("copies written bytes, so a caller changing its buffer changes no file", async () => {
    const { files } = vmFiles();
    const content = bytes("abc");
    await files.writeFile("/f", content);
    content[0] = 0x7a;
    expect(await files.readFile("/f")).toBe("abc");
  });

  it("stats files, directories and symlinks with their size, mode and mtime", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "hello");
    await files.mkdir("/d");
    await files.symlink("/f", "/link");
    expect(await files.stat("/f")).toEqual({
      isFile: true,
      isDirectory: false,
      isSymbolicLink: false,
      mode: 0o644,
      size: 5,
      mtime: new Date(1000),
    });
    expect(await files.stat("/d")).toMatchObject({ isDirectory: true, size: 4096, mode: 0o755 });
    expect(await files.stat("/link")).toMatchObject({ isFile: true, size: 5 });
    expect(await files.lstat("/link")).toEqual({
      isFile: false,
      isDirectory: false,
      isSymbolicLink: true,
      mode: 0o777,
      size: 2,
      mtime: new Date(1000),
    });
    expect(await failure(() => files.stat("/none"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, stat '/none'",
    });
    expect(await failure(() => files.lstat("/none"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, lstat '/none'",
    });
  });

  it("refuses to read a missing file, a directory or a dangling link", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d");
    await files.symlink("/gone", "/dangling");
    expect(await failure(() => files.readFile("/none"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, open '/none'",
    });
    expect(await failure(() => files.readFile("/d"))).toEqual({
      code: "EISDIR",
      message: "EISDIR: illegal operation on a directory, read '/d'",
    });
    expect(await code(() => files.readFileBuffer("/dangling"))).toBe("ENOENT");
    expect(await code(() => files.readFileBytes("/d"))).toBe("EISDIR");
  });

  it("refuses a write onto a directory, below a file, or into a missing directory", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d");
    await files.writeFile("/f", "x");
    expect(await failure(() => files.writeFile("/d", "x"))).toEqual({
      code: "EISDIR",
      message: "EISDIR: illegal operation on a directory, open '/d'",
    });
    expect(await code(() => files.appendFile("/d", "x"))).toBe("EISDIR");
    expect(await failure(() => files.writeFile("/f/x", "x"))).toEqual({
      code: "ENOTDIR",
      message: "ENOTDIR: not a directory, open '/f/x'",
    });
    expect(await failure(() => files.writeFile("/missing/x", "x"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, open '/missing/x'",
    });
  });

  it("keeps a file's mode when it is rewritten or appended to", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "a");
    await files.chmod("/f", 0o600);
    await files.writeFile("/f", "b");
    expect((await files.stat("/f")).mode).toBe(0o600);
    await files.appendFile("/f", "c");
    expect((await files.stat("/f")).mode).toBe(0o600);
    await files.appendFile("/new", "x");
    expect((await files.stat("/new")).mode).toBe(0o644);
    expect(await files.readFile("/f")).toBe("bc");
  });

  it("discards what is written to /dev/null", async () => {
    const { files } = vmFiles();
    await files.mkdir("/dev");
    await files.writeFile("/dev/null", "x");
    await files.appendFile("/dev/null", "y");
    expect(await files.readdir("/dev")).toEqual([]);
  });

  it("answers the pulse path's existence test with true", async () => {
    const { files } = vmFiles();
    expect(await files.exists(PULSE_PATH)).toBe(true);
  });
});

describe("VmFileSystem symlinks", () => {
  it("follows relative and absolute links in the middle and at the end of a path", async () => {
    const { files } = vmFiles();
    await files.mkdir("/real/sub", { recursive: true });
    await files.writeFile("/real/sub/f", "found");
    await files.symlink("/real", "/abs");
    await files.mkdir("/links");
    await files.symlink("../real/sub", "/links/rel");
    expect(await files.readFile("/abs/sub/f")).toBe("found");
    expect(await files.readFile("/links/rel/f")).toBe("found");
    expect(await files.realpath("/links/rel/f")).toBe("/real/sub/f");
    expect(await files.readlink("/links/rel")).toBe("../real/sub");
  });

  it("gives up with ELOOP after 40 links, and exists then says false", async () => {
    const { files } = vmFiles();
    await files.symlink("/b", "/a");
    await files.symlink("/a", "/b");
    expect(await failure(() => files.stat("/a"))).toEqual({
      code: "ELOOP",
      message: "ELOOP: too many levels of symbolic links, stat '/a'",
    });
    expect(await files.exists("/a")).toBe(false);
    // A chain of exactly 40 links still resolves.
    await files.writeFile("/end", "ok");
    await files.symlink("/end", "/c0");
    for (let index = 1; index < 40; index++) await files.symlink(`/c${index - 1}`, `/c${index}`);
    expect(await files.readFile("/c39")).toBe("ok");
    await files.symlink("/c39", "/c40");
    expect(await code(() => files.readFile("/c40"))).toBe("ELOOP");
  });

  it("refuses a symlink or hard link over an existing entry, and a hard link to a directory", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "x");
    await files.mkdir("/d");
    expect(await failure(() => files.symlink("/x", "/f"))).toEqual({
      code: "EEXIST",
      message: "EEXIST: file already exists, symlink '/f'",
    });
    expect(await code(() => files.link("/f", "/d"))).toBe("EEXIST");
    expect(await failure(() => files.link("/d", "/d2"))).toEqual({
      code: "EPERM",
      message: "EPERM: operation not permitted, link '/d'",
    });
    expect(await code(() => files.link("/none", "/n2"))).toBe("ENOENT");
    await files.link("/f", "/hard");
    expect(await files.readFile("/hard")).toBe("x");
  });

  it("readlink refuses what is not a link; realpath refuses what is missing", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "x");
    expect(await failure(() => files.readlink("/f"))).toEqual({
      code: "EINVAL",
      message: "EINVAL: invalid argument, readlink '/f'",
    });
    expect(await code(() => files.readlink("/none"))).toBe("ENOENT");
    expect(await code(() => files.realpath("/none"))).toBe("ENOENT");
  });
});

describe("VmFileSystem directories", () => {
  it("mkdir: EEXIST unless recursive onto a directory; recursive creates parents", async () => {
    const { files } = vmFiles();
    await files.mkdir("/a/b/c", { recursive: true });
    await files.mkdir("/a/b", { recursive: true });
    expect((await files.stat("/a/b/c")).isDirectory).toBe(true);
    expect(await failure(() => files.mkdir("/a"))).toEqual({
      code: "EEXIST",
      message: "EEXIST: file already exists, mkdir '/a'",
    });
    await files.writeFile("/file", "x");
    expect(await code(() => files.mkdir("/file", { recursive: true }))).toBe("EEXIST");
    expect(await code(() => files.mkdir("/missing/x"))).toBe("ENOENT");
  });

  it("lists a directory sorted, with each entry's type", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d");
    await files.writeFile("/d/b", "x");
    await files.mkdir("/d/a");
    await files.symlink("/d/b", "/d/c");
    await files.writeFile("/d/B", "x");
    expect(await files.readdir("/d")).toEqual(["B", "a", "b", "c"]);
    expect(await files.readdirWithFileTypes("/d")).toEqual([
      { name: "B", isFile: true, isDirectory: false, isSymbolicLink: false },
      { name: "a", isFile: false, isDirectory: true, isSymbolicLink: false },
      { name: "b", isFile: true, isDirectory: false, isSymbolicLink: false },
      { name: "c", isFile: false, isDirectory: false, isSymbolicLink: true },
    ]);
    expect(files.list("/d")).toEqual(["B", "a", "b", "c"]);
    expect(files.list("/d/b")).toBeUndefined();
    expect(await failure(() => files.readdir("/d/b"))).toEqual({
      code: "ENOTDIR",
      message: "ENOTDIR: not a directory, scandir '/d/b'",
    });
    expect(await failure(() => files.readdir("/none"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, scandir '/none'",
    });
  });

  it("rm: a missing path fails unless forced, a full directory needs recursive, / never goes", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d/e", { recursive: true });
    await files.writeFile("/target", "kept");
    await files.symlink("/target", "/link");
    expect(await failure(() => files.rm("/none"))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, rm '/none'",
    });
    await files.rm("/none", { force: true });
    expect(await failure(() => files.rm("/d"))).toEqual({
      code: "ENOTEMPTY",
      message: "ENOTEMPTY: directory not empty, rm '/d'",
    });
    await files.rm("/d/e");
    await files.writeFile("/d/f", "x");
    await files.rm("/d", { recursive: true });
    expect(await files.exists("/d")).toBe(false);
    await files.rm("/link");
    expect(await files.readFile("/target")).toBe("kept");
    expect(await failure(() => files.rm("/", { recursive: true }))).toEqual({
      code: "EPERM",
      message: "EPERM: operation not permitted, rm '/'",
    });
    expect(await files.exists("/target")).toBe(true);
  });

  it("lists every path, and makes mount points as directories once", async () => {
    const { tree, files } = vmFiles();
    await files.mkdir("/a");
    await files.writeFile("/a/f", "x");
    files.ensureDirectory("/mnt/data");
    expect(files.getAllPaths()).toEqual(["/", "/a", "/a/f", "/mnt", "/mnt/data"]);
    const root = tree.root;
    files.ensureDirectory("/mnt/data");
    expect(tree.root).toBe(root);
    expect(files.resolvePath("/a", "../b")).toBe("/b");
  });
});

describe("VmFileSystem copies and moves", () => {
  it("cp copies a file, a directory only when recursive, and never into itself", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d");
    await files.writeFile("/d/f", "x");
    await files.cp("/d/f", "/g");
    expect(await files.readFile("/g")).toBe("x");
    expect(await failure(() => files.cp("/d", "/e"))).toEqual({
      code: "EISDIR",
      message: "EISDIR: is a directory, cp '/d'",
    });
    await files.cp("/d", "/e", { recursive: true });
    expect(await files.readFile("/e/f")).toBe("x");
    expect(await failure(() => files.cp("/d", "/d/sub", { recursive: true }))).toEqual({
      code: "EINVAL",
      message: "EINVAL: cannot copy '/d' into itself, cp '/d/sub'",
    });
    expect(await code(() => files.cp("/none", "/x"))).toBe("ENOENT");
    // A file may be copied onto a path below its own name's prefix.
    await files.cp("/g", "/g2");
    expect(await files.readFile("/g2")).toBe("x");
  });

  it("mv moves an entry (a link as a link), does nothing onto itself, never into itself", async () => {
    const { files } = vmFiles();
    await files.mkdir("/d");
    await files.writeFile("/d/f", "x");
    await files.symlink("/d/f", "/link");
    await files.mv("/link", "/moved");
    expect(await files.readlink("/moved")).toBe("/d/f");
    await files.mv("/d/f", "/d/f");
    expect(await files.readFile("/d/f")).toBe("x");
    expect(await failure(() => files.mv("/d", "/d/inner"))).toEqual({
      code: "EINVAL",
      message: "EINVAL: cannot move '/d' into itself, mv '/d/inner'",
    });
    expect(await code(() => files.mv("/none", "/x"))).toBe("ENOENT");
    await files.writeFile("/g", "y");
    await files.mv("/g", "/g2");
    expect(await files.exists("/g")).toBe(false);
    expect(await files.readFile("/g2")).toBe("y");
  });
});

describe("VmFileSystem metadata", () => {
  it("chmod and utimes change one entry's metadata, and leave / alone", async () => {
    let now = 1000;
    const files = new VmFileSystem(
      new CowTree(),
      () => [],
      () => now,
    );
    await files.writeFile("/f", "x");
    now = 5000;
    await files.chmod("/f", 0o700);
    expect(await files.stat("/f")).toMatchObject({ mode: 0o700, mtime: new Date(1000) });
    await files.utimes("/f", new Date(0), new Date(7000));
    expect(await files.stat("/f")).toMatchObject({ mode: 0o700, mtime: new Date(7000) });
    const root = await files.stat("/");
    await files.chmod("/", 0o700);
    await files.utimes("/", new Date(0), new Date(9000));
    expect(await files.stat("/")).toEqual(root);
    expect(root.mode).toBe(0o755);
    expect(await failure(() => files.chmod("/none", 0o700))).toEqual({
      code: "ENOENT",
      message: "ENOENT: no such file or directory, chmod '/none'",
    });
    expect(await code(() => files.utimes("/none", new Date(0), new Date(0)))).toBe("ENOENT");
  });
});

describe("VmFileSystem mounts", () => {
  it("stores a path in the mount with the longest matching path", async () => {
    const outer = new CowTree();
    const inner = new CowTree();
    const { tree, files } = vmFiles([
      { path: "/mnt", tree: outer },
      { path: "/mnt/inner", tree: inner },
    ]);
    await files.writeFile("/mnt/a", "outer");
    await files.writeFile("/mnt/inner/b", "inner");
    await files.writeFile("/mnt/innerx", "outer too");
    expect(outer.get(segmentsOf("/a"))?.kind).toBe("file");
    expect(outer.get(segmentsOf("/innerx"))?.kind).toBe("file");
    expect(inner.get(segmentsOf("/b"))?.kind).toBe("file");
    expect(outer.get(segmentsOf("/inner/b"))).toBeUndefined();
    expect(tree.get(segmentsOf("/mnt"))).toBeUndefined();
  });

  it("refuses to put anything at a mount point itself (EBUSY)", async () => {
    const { files } = vmFiles([{ path: "/mnt/data", tree: new CowTree() }]);
    await files.writeFile("/f", "x");
    expect(await failure(() => files.mv("/f", "/mnt/data"))).toEqual({
      code: "EBUSY",
      message: "EBUSY: resource busy or locked, mv '/mnt/data'",
    });
    expect(await files.readFile("/f")).toBe("x");
  });
});

describe("VmFileSystem byte cap", () => {
  it("refuses a write past the cap, but not one that shrinks or just fills the tree", async () => {
    const { files } = vmFiles([], 10);
    await files.writeFile("/a", "12345678");
    expect(await failure(() => files.writeFile("/b", "123"))).toEqual({
      code: "ENOSPC",
      message: "ENOSPC: no space left on device, open '/b'",
    });
    await files.writeFile("/b", "12");
    await files.writeFile("/a", "1");
    await files.writeFile("/b", "123456789");
    expect(await files.readFile("/b")).toBe("123456789");
  });

  it("a move inside one tree needs no room; a move into another tree does", async () => {
    const mounted = new CowTree();
    const { files } = vmFiles([{ path: "/mnt", tree: mounted }], 10);
    await files.writeFile("/a", "1234567890");
    await files.mv("/a", "/b");
    expect(await files.readFile("/b")).toBe("1234567890");
    await files.writeFile("/mnt/x", "12345");
    expect(await code(() => files.mv("/b", "/mnt/b"))).toBe("ENOSPC");
    await files.cp("/mnt/x", "/mnt/y");
    expect(await code(() => files.cp("/mnt/x", "/mnt/z"))).toBe("ENOSPC");
  });

  it("roomFor counts what the file replaces, up to exactly the cap", async () => {
    const { files } = vmFiles([], 10);
    await files.writeFile("/a", "12345");
    expect(files.roomFor("/b", 5)).toBe(true);
    expect(files.roomFor("/b", 6)).toBe(false);
    expect(files.roomFor("/a", 10)).toBe(true);
    expect(files.roomFor("/a", 11)).toBe(false);
    await files.symlink("/loop", "/loop");
    expect(files.roomFor("/loop/x", 100)).toBe(true);
  });
});

describe("VmFileSystem engine helpers", () => {
  it("readBytes and kindOf follow links and answer undefined where there is no file", async () => {
    const { files } = vmFiles();
    await files.writeFile("/f", "x");
    await files.mkdir("/d");
    await files.symlink("/f", "/link");
    await files.symlink("/loop", "/loop");
    expect(files.readBytes("/link")).toEqual(bytes("x"));
    expect(files.readBytes("/d")).toBeUndefined();
    expect(files.readBytes("/none")).toBeUndefined();
    expect(files.readBytes("/loop")).toBeUndefined();
    expect(files.kindOf("/link")).toBe("file");
    expect(files.kindOf("/d")).toBe("directory");
    expect(files.kindOf("/none")).toBeUndefined();
    expect(files.kindOf("/loop")).toBeUndefined();
  });

  it("storeFile creates the parents, keeps the mode and refuses a directory", async () => {
    const { files } = vmFiles();
    files.storeFile("/deep/er/f", bytes("x"));
    expect(await files.readFile("/deep/er/f")).toBe("x");
    await files.chmod("/deep/er/f", 0o755);
    files.storeFile("/deep/er/f", bytes("y"));
    expect(await files.stat("/deep/er/f")).toMatchObject({ mode: 0o755, size: 1 });
    expect(await failure(() => files.storeFile("/deep", bytes("x")))).toEqual({
      code: "EISDIR",
      message: "EISDIR: illegal operation on a directory, open '/deep'",
    });
  });
});
