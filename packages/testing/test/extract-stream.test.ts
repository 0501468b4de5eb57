// Proves extractStream's own checks and placement as a unit: query edges, links in the VM, and what each entry replaces.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { extractStream, type SyncStreamInput } from "../src/engine/sync-stream.js";
import { CowTree } from "../src/files/cow-tree.js";
import { VmFileSystem } from "../src/files/vm-filesystem.js";
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
