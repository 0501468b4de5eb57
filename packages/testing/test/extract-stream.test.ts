// Proves extractStream's own checks and placement as a unit: query edges, refusal messages, room (VM and mount), links in the VM, folders made, and what each entry replaces.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { extractStream, type SyncStreamInput } from "../src/engine/sync-stream.js";
import { CowTree } from "../src/files/cow-tree.js";
import { VmFileSystem } from "../src/files/vm-filesystem.js";
import type { ApiError } from "../src/support/errors.js";
import { tarOf } from "./tar-of.js";

function vmFiles() {
  return new VmFileSystem(
    new CowTree(),
    () => [],
    () => 1000,
  );
}

/** Extracts `bytes` into `path` (size filled in), with these query overrides. */
function extract(
  files: VmFileSystem,
  bytes: Uint8Array,
  path = "/app",
  input: Partial<SyncStreamInput> = {},
) {
  return extractStream(
    files,
    1_000_000,
    { path, size: String(bytes.byteLength), sha256: undefined, extract: "tar", ...input },
    bytes,
  );
}

async function message(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("did not fail");
}

describe("extractStream query checks", () => {
  it("refuses a size with trailing garbage, and a sha256 of 65 characters", async () => {
    const files = vmFiles();
    const tar = await tarOf([{ name: "a", content: "a" }]);
    expect(await message(extract(files, tar, "/app", { size: `${tar.byteLength}x` }))).toBe(
      "size must be the archive's length in bytes",
    );
    expect(await message(extract(files, tar, "/app", { sha256: "a".repeat(65) }))).toBe(
      "sha256 must be 64 hex characters",
    );
    expect(files.kindOf("/app")).toBeUndefined();
  });

  it("takes the archive's sha256 in upper case", async () => {
    const files = vmFiles();
    const tar = await tarOf([{ name: "a", content: "a" }]);
    const sha256 = createHash("sha256").update(tar).digest("hex").toUpperCase();
    expect(await extract(files, tar, "/app", { sha256 })).toMatchObject({ extracted: 1 });
  });
});

describe("extractStream placement", () => {
  it("extracts below a path that is itself a link to a directory with existing subdirectories", async () => {
    const files = vmFiles();
    await files.mkdir("/real/sub", { recursive: true });
    await files.symlink("/real", "/app");
    const tar = await tarOf([{ name: "sub/a.txt", content: "a" }]);
    expect(await extract(files, tar)).toMatchObject({ extracted: 1 });
    expect(await files.readFile("/real/sub/a.txt")).toBe("a");
  });

  it("replaces an existing link that points outside with the entry, leaving its target alone", async () => {
    const files = vmFiles();
    await files.mkdir("/app", { recursive: true });
    await files.writeFile("/secret", "kept");
    await files.symlink("/secret", "/app/link");
    const tar = await tarOf([{ name: "link", content: "new" }]);
    expect(await extract(files, tar)).toMatchObject({ extracted: 1 });
    expect(files.linkKindOf("/app/link")).toBe("file");
    expect(await files.readFile("/app/link")).toBe("new");
    expect(await files.readFile("/secret")).toBe("kept");
  });

  it("replaces an existing file with a symlink entry of the same name", async () => {
    const files = vmFiles();
    await files.mkdir("/app", { recursive: true });
    await files.writeFile("/app/l", "old");
    const tar = await tarOf([
      { name: "t.txt", content: "target" },
      { name: "l", type: "symlink", linkname: "t.txt" },
    ]);
    await extract(files, tar);
    expect(await files.readlink("/app/l")).toBe("t.txt");
  });

  it("makes the folders of entries the archive does not list, each once", async () => {
    const files = vmFiles();
    const made: string[] = [];
    const mkdir = files.mkdir.bind(files);
    files.mkdir = async (path, options) => {
      made.push(path);
      return mkdir(path, options);
    };
    const tar = await tarOf([
      { name: "deep/er/l", type: "symlink", linkname: "../x" },
      { name: "deep/er/a", content: "a" },
      { name: "deep/er/b", content: "b" },
    ]);
    await extract(files, tar);
    expect(await files.readlink("/app/deep/er/l")).toBe("../x");
    expect(await files.readFile("/app/deep/er/b")).toBe("b");
    // mkdir -p of /app/deep/er makes its own parents (the calls after it); it is asked once.
    expect(made.filter((path) => path === "/app/deep/er")).toHaveLength(1);
  });

  it("gives a hard link its source's mode", async () => {
    const files = vmFiles();
    const tar = await tarOf([
      { name: "run.sh", content: "#!/bin/sh\n", mode: 0o755 },
      { name: "copy.sh", type: "link", linkname: "run.sh" },
    ]);
    await extract(files, tar);
    expect(await files.stat("/app/copy.sh")).toMatchObject({ mode: 0o755, size: 10 });
  });
});

describe("extractStream refusals and folders", () => {
  it("names a sha256 mismatch and a link in the VM leading outside, below the first level", async () => {
    const files = vmFiles();
    const tar = await tarOf([{ name: "a", content: "a" }]);
    expect(await message(extract(files, tar, "/app", { sha256: "0".repeat(64) }))).toBe(
      "sha256 does not match the archive; nothing was written",
    );
    await files.mkdir("/app/dir", { recursive: true });
    await files.mkdir("/outside", { recursive: true });
    await files.symlink("/outside", "/app/dir/out");
    const deep = await tarOf([{ name: "dir/out/planted.txt", content: "x" }]);
    expect(await message(extract(files, deep))).toBe(
      'archive entry "dir/out/planted.txt" refused: /app/dir/out leads outside /app; nothing was written',
    );
    expect(files.kindOf("/outside/planted.txt")).toBeUndefined();
  });

  it("answers 413 naming the sizes when the files already there leave no room", async () => {
    const files = new VmFileSystem(
      new CowTree(),
      () => [],
      () => 1000,
      100,
    );
    await files.writeFile("/kept.bin", "k".repeat(60));
    const tar = await tarOf([{ name: "a.bin", content: "a".repeat(60) }]);
    for (const path of ["/app", "/"]) {
      const refused = await extractStream(
        files,
        100,
        { path, size: String(tar.byteLength), sha256: undefined, extract: "tar" },
        tar,
      ).catch((error: ApiError) => ({ status: error.status, message: error.message }));
      expect(refused, path).toEqual({
        status: 413,
        message: `cannot extract 60 bytes into ${path}: the VM would hold more than 100 bytes of files`,
      });
    }
    expect(files.kindOf("/app")).toBeUndefined();
  });

  it("counts the room of the mounted tree that holds the path, not the VM's", async () => {
    const mounted = new CowTree();
    const files = new VmFileSystem(
      new CowTree(),
      () => [{ path: "/mnt", tree: mounted }],
      () => 1000,
      100,
    );
    await files.mkdir("/mnt", { recursive: true });
    await files.writeFile("/mnt/kept.bin", "k".repeat(60));
    const tar = await tarOf([{ name: "a.bin", content: "a".repeat(60) }]);
    const refused = await extractStream(
      files,
      100,
      { path: "/mnt/app", size: String(tar.byteLength), sha256: undefined, extract: "tar" },
      tar,
    ).catch((error: ApiError) => error.status);
    expect(refused).toBe(413);
    expect(files.kindOf("/mnt/app")).toBeUndefined();
  });

  it("makes the root folder once, whatever its top-level entries", async () => {
    for (const [path, expected] of [
      ["/app", ["/app", "/app/sub"]],
      ["/", ["/", "/sub"]],
    ] as const) {
      const files = vmFiles();
      // The calls extractStream makes (mkdir -p calls itself for the parents: left out).
      const made: string[] = [];
      let depth = 0;
      const mkdir = files.mkdir.bind(files);
      files.mkdir = async (at, options) => {
        if (depth === 0) made.push(at);
        depth += 1;
        try {
          return await mkdir(at, options);
        } finally {
          depth -= 1;
        }
      };
      const tar = await tarOf([
        { name: "a", content: "a" },
        { name: "b", content: "b" },
        { name: "sub/c", content: "c" },
      ]);
      await extract(files, tar, path);
      expect(made, path).toEqual(expected);
    }
  });

  it("takes a folder entry for a folder already there, giving it the entry's mode", async () => {
    const files = vmFiles();
    await files.mkdir("/app/sub", { recursive: true });
    const tar = await tarOf([{ name: "sub/", type: "directory", mode: 0o700 }]);
    expect(await extract(files, tar)).toMatchObject({ extracted: 1 });
    expect((await files.stat("/app/sub")).mode & 0o7777).toBe(0o700);
  });
});

describe("extractStream: what is already there", () => {
  /** A VM with `/app/full/f`, an empty `/app/empty`, a file `/app/file` and a dangling link `/app/gone`. */
  async function prepared() {
    const files = vmFiles();
    await files.mkdir("/app/full", { recursive: true });
    await files.writeFile("/app/full/f", "f");
    await files.mkdir("/app/empty");
    await files.writeFile("/app/file", "file");
    await files.symlink("/nowhere/new", "/app/gone");
    await files.symlink("/app/file", "/app/to-file");
    return files;
  }

  it.each([
    [
      "a file over a folder that is not empty",
      [{ name: "full", content: "x" }],
      "/app/full is a folder that is not empty",
    ],
    ["a folder over a file", [{ name: "file", type: "directory" as const }], "/app/file is a file"],
    ["an entry below a file", [{ name: "file/x", content: "x" }], "/app/file is a file"],
    [
      "an entry through a link to nothing",
      [{ name: "gone/x", content: "x" }],
      "/app/gone is a link to nothing",
    ],
    [
      "a folder at a link to nothing",
      [{ name: "gone", type: "directory" as const }],
      "/app/gone is a link to nothing",
    ],
    [
      "an entry through a link to a file",
      [{ name: "to-file/x", content: "x" }],
      "/app/to-file is a link to a file",
    ],
  ])("refuses %s before writing anything", async (_case, entries, why) => {
    const files = await prepared();
    const tar = await tarOf([{ name: "first", content: "1" }, ...entries]);
    const name = entries[0]!.name;
    expect(await message(extract(files, tar))).toBe(
      `archive entry ${JSON.stringify(name)} refused: ${why}; nothing was written`,
    );
    expect(files.kindOf("/app/first")).toBeUndefined();
    expect(files.kindOf("/nowhere")).toBeUndefined();
    expect(await files.readFile("/app/full/f")).toBe("f");
  });

  it("counts the archive's own earlier entries as what is there", async () => {
    const files = vmFiles();
    const fileThenBelow = await tarOf([
      { name: "a", content: "a" },
      { name: "a/b", content: "b" },
    ]);
    expect(await message(extract(files, fileThenBelow))).toBe(
      'archive entry "a/b" refused: /app/a is a file; nothing was written',
    );
    const folderThenFile = await tarOf([
      { name: "d", type: "directory" },
      { name: "d/x", content: "x" },
      { name: "d", content: "d" },
    ]);
    expect(await message(extract(files, folderThenFile))).toBe(
      'archive entry "d" refused: /app/d is a folder that is not empty; nothing was written',
    );
    expect(files.kindOf("/app")).toBeUndefined();
  });

  it("replaces an empty folder with a file, as GNU tar does, and goes through a link to a folder", async () => {
    const files = await prepared();
    await files.symlink("/app/full", "/app/to-full");
    const tar = await tarOf([
      { name: "empty", content: "now a file", mode: 0o600 },
      { name: "to-full/g", content: "g" },
    ]);
    expect(await extract(files, tar)).toMatchObject({ extracted: 2 });
    expect(await files.readFile("/app/empty")).toBe("now a file");
    expect((await files.stat("/app/empty")).mode & 0o777).toBe(0o600);
    expect(await files.readFile("/app/full/g")).toBe("g");
  });
});
