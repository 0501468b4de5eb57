import { pack } from "tar-stream";

/** An entry of a test archive: a file, a folder, or a symbolic or hard link. */
export type TarTestEntry =
  | { name: string; content: string | Uint8Array; mode?: number }
  | { name: string; type: "directory"; mode?: number }
  | { name: string; type: "symlink" | "link"; linkname: string };

/** A tar made by tar-stream (the library the fake reads with, used here as a writer). */
export async function tarOf(entries: TarTestEntry[]): Promise<Uint8Array> {
  const archive = pack();
  for (const entry of entries) {
    if ("content" in entry) {
      const content = Buffer.from(entry.content);
      archive.entry({ name: entry.name, mode: entry.mode ?? 0o644, size: content.length }, content);
    } else if (entry.type === "directory") {
      archive.entry({ name: entry.name, type: "directory", mode: entry.mode ?? 0o755 });
    } else {
      archive.entry({ name: entry.name, type: entry.type, linkname: entry.linkname });
    }
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
