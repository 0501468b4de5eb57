import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { readArchive } from "../src/files/archive.js";

/** A tar of these headers (tar-stream as the writer), each with its content if any. */
type Header = Parameters<ReturnType<typeof pack>["entry"]>[0];

async function tarOf(entries: Array<Header & { content?: string | Uint8Array }>) {
  const archive = pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) archive.entry(header);
    else archive.entry({ ...header, size: Buffer.from(content).length }, Buffer.from(content));
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The message `readArchive` refuses these entries with. */
async function refusal(entries: Parameters<typeof tarOf>[0]): Promise<string> {
  const error = await readArchive(await tarOf(entries), "tar", 1 << 20).then(
    () => undefined,
    (error: unknown) => error as { status: number; message: string },
  );
  expect(error?.status).toBe(400);
  return error?.message ?? "accepted";
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("readArchive", () => {
  it("reads files, directories, symlinks and hard links with names relative to the target", async () => {
    const entries = await readArchive(
      await tarOf([
        { name: "./", type: "directory" },
        { name: "./bin/", type: "directory", mode: 0o40750 },
        { name: "bin//run.sh", content: "#!/bin/sh\n", mode: 0o104755 },
        { name: "bin/latest", type: "symlink", linkname: "run.sh" },
        { name: "copy", type: "link", linkname: "./bin/run.sh" },
      ]),
      "tar",
      1 << 20,
    );
    expect(entries.map((entry) => ({ ...entry, content: undefined }))).toEqual([
      { kind: "directory", name: "bin", mode: 0o750, content: undefined },
      { kind: "file", name: "bin/run.sh", mode: 0o4755, content: undefined },
      { kind: "symlink", name: "bin/latest", target: "run.sh", content: undefined },
      { kind: "link", name: "copy", target: "bin/run.sh", content: undefined },
    ]);
    const file = entries[1];
    expect(file?.kind === "file" && text(file.content)).toBe("#!/bin/sh\n");
  });

  it("reads a large file's content whole", async () => {
    const big = new Uint8Array(300_000).map((_, index) => index % 251);
    const [entry] = await readArchive(await tarOf([{ name: "big", content: big }]), "tar", 1);
    expect(entry?.kind === "file" && Buffer.from(entry.content).equals(big)).toBe(true);
  });

  it("reads a tar.gz, bounding what it inflates to maxBytes", async () => {
    const gz = gzipSync(await tarOf([{ name: "z.txt", content: "zipped" }]));
    const [entry] = await readArchive(new Uint8Array(gz), "tar.gz", 1 << 20);
    expect(entry?.kind === "file" && text(entry.content)).toBe("zipped");
    await expect(readArchive(new Uint8Array(gz), "tar.gz", 100)).rejects.toThrow(
      /^archive is not valid gzip data: /,
    );
    await expect(readArchive(new Uint8Array(gz), "tar.gz", 0)).rejects.toThrow(
      /^archive is not valid gzip data: /,
    );
    await expect(readArchive(Uint8Array.of(1, 2, 3), "tar.gz", 1 << 20)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^archive is not valid gzip data: /),
    });
  });

  it("refuses what is not a tar", async () => {
    const junk = new Uint8Array(1024).fill(0x41);
    await expect(readArchive(junk, "tar", 1 << 20)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^archive is not a valid tar: /),
    });
  });

  it("refuses names that leave the target: absolute, with '..', with a NUL byte", async () => {
    expect(await refusal([{ name: "/etc/x", content: "x" }])).toBe(
      'archive entry "/etc/x" refused: the name is absolute; nothing was written',
    );
    expect(await refusal([{ name: "a/../../x", content: "x" }])).toBe(
      `archive entry "a/../../x" refused: the name has a '..' segment; nothing was written`,
    );
    // A NUL ends a name in the ustar header: it can only come in a pax header.
    expect(await refusal([{ name: "ok", pax: { path: "a\0b" }, content: "x" }])).toBe(
      'archive entry "a\\u0000b" refused: the name has a NUL byte; nothing was written',
    );
    expect(await refusal([{ name: "l", type: "link", linkname: "/etc/passwd" }])).toContain(
      "the name is absolute",
    );
  });

  it("reads a contiguous file as a file", async () => {
    const [entry] = await readArchive(
      await tarOf([{ name: "c", type: "contiguous-file", content: "x" }]),
      "tar",
      1 << 20,
    );
    expect(entry?.kind === "file" && text(entry.content)).toBe("x");
  });

  it("refuses a file named as the target directory itself, and unsupported entry types", async () => {
    expect(await refusal([{ name: "./", content: "x" }])).toBe(
      'archive entry "./" refused: a file cannot be the target directory; nothing was written',
    );
    expect(await refusal([{ name: "pipe", type: "fifo" }])).toBe(
      'archive entry "pipe" refused: entries of type fifo are not supported; nothing was written',
    );
  });

  it("refuses symlinks that are absolute or climb out, and accepts one that stays in", async () => {
    expect(await refusal([{ name: "etc", type: "symlink", linkname: "/etc" }])).toContain(
      "the symlink's target is absolute",
    );
    expect(await refusal([{ name: "up", type: "symlink", linkname: "./.." }])).toContain(
      "the symlink points outside the target directory",
    );
    expect(await refusal([{ name: "a/b/up", type: "symlink", linkname: "../../.." }])).toContain(
      "the symlink points outside the target directory",
    );
    // An empty segment is no directory to climb out of.
    expect(await refusal([{ name: "up", type: "symlink", linkname: "x//../.." }])).toContain(
      "the symlink points outside the target directory",
    );
    const inside = await readArchive(
      await tarOf([
        { name: "a/b/side", type: "symlink", linkname: "../../c//./d" },
        { name: "a/empty", type: "symlink", linkname: "" },
        { name: "down-up", type: "symlink", linkname: "d/../e" },
      ]),
      "tar",
      1 << 20,
    );
    expect(inside.map((entry) => entry.name)).toEqual(["a/b/side", "a/empty", "down-up"]);
  });

  it("refuses a hard link to anything but an earlier entry", async () => {
    expect(
      await refusal([
        { name: "copy", type: "link", linkname: "later" },
        { name: "later", content: "x" },
      ]),
    ).toContain("the hard link names no earlier entry of the archive");
  });

  it("refuses a path through one of the archive's own symlinks, at any depth", async () => {
    expect(
      await refusal([
        { name: "l", type: "symlink", linkname: "." },
        { name: "l/x", content: "x" },
      ]),
    ).toContain("the path goes through a symlink of the archive");
    expect(
      await refusal([
        { name: "d/l", type: "symlink", linkname: "." },
        { name: "d/l/e/x", content: "x" },
      ]),
    ).toContain("the path goes through a symlink of the archive");
    // A name that only starts like the link does not go through it.
    const entries = await readArchive(
      await tarOf([
        { name: "l", type: "symlink", linkname: "." },
        { name: "lx/l", content: "x" },
      ]),
      "tar",
      1 << 20,
    );
    expect(entries).toHaveLength(2);
  });
});
