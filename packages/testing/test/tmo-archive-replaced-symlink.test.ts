// Proves readArchive accepts a later entry named exactly like an earlier symlink of the archive (tar replaces the link).
import { pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { readArchive } from "../src/files/archive.js";

type Header = Parameters<ReturnType<typeof pack>["entry"]>[0];

async function tarOf(entries: Array<Header & { content?: string }>) {
  const archive = pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) archive.entry(header);
    else archive.entry({ ...header, size: Buffer.byteLength(content) }, Buffer.from(content));
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

describe("readArchive and an entry named like an earlier symlink", () => {
  it("accepts the entry (only a path through the link is refused)", async () => {
    const entries = await readArchive(
      await tarOf([
        { name: "target.txt", content: "target" },
        { name: "l", type: "symlink", linkname: "target.txt" },
        { name: "l", content: "replaced" },
      ]),
      "tar",
      1 << 20,
    );
    expect(entries.map(({ kind, name }) => `${kind} ${name}`)).toEqual([
      "file target.txt",
      "symlink l",
      "file l",
    ]);
  });

  it("still refuses a path that goes through the link", async () => {
    const read = readArchive(
      await tarOf([
        { name: "l", type: "symlink", linkname: "." },
        { name: "l/x", content: "x" },
      ]),
      "tar",
      1 << 20,
    );
    await expect(read).rejects.toThrow(
      'archive entry "l/x" refused: the path goes through a symlink of the archive; nothing was written',
    );
  });
});
