import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { extract } from "tar-stream";
import { bufferView } from "../support/buffer-view.js";
import { badRequest } from "../support/errors.js";

/**
 * Reads a tar (or tar.gz) archive with tar-stream into a checked list of entries. Every
 * entry must stay inside the directory it is extracted into (no zip-slip): a name that
 * is absolute or has a `..` segment, a symlink whose target leaves the tree, or a hard
 * link to something outside it refuses the whole archive, before anything is written.
 *
 * @module
 */

/** One entry of an archive, its name relative to the extraction directory. */
export type ArchiveEntry =
  | { kind: "file"; name: string; mode: number; content: Uint8Array }
  | { kind: "directory"; name: string; mode: number }
  | { kind: "symlink"; name: string; target: string }
  | { kind: "link"; name: string; target: string };

/** The archive formats of `sync-stream`'s `extract`. */
export type ArchiveFormat = "tar" | "tar.gz";

/**
 * Parses and checks an archive. `maxBytes` bounds the unpacked size of a tar.gz (a
 * small body must not inflate without limit).
 */
export async function readArchive(
  body: Uint8Array,
  format: ArchiveFormat,
  maxBytes: number,
): Promise<ArchiveEntry[]> {
  let tar: Uint8Array = body;
  if (format === "tar.gz") {
    try {
      tar = gunzipSync(body, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (error) {
      throw badRequest(`archive is not valid gzip data: ${(error as Error).message}`);
    }
  }
  const entries = await parseTar(tar);
  const names = new Set<string>();
  const symlinks = new Set<string>();
  for (const entry of entries) {
    checkEntry(entry, names, symlinks);
    names.add(entry.name);
    if (entry.kind === "symlink") symlinks.add(entry.name);
  }
  return entries;
}

async function parseTar(tar: Uint8Array): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on("end", () => {
        try {
          const entry = toEntry(header, chunks);
          if (entry !== undefined) entries.push(entry);
          next();
        } catch (error) {
          reject(error);
          reader.destroy();
        }
      });
      stream.on("error", reject);
    });
    reader.on("finish", resolve);
    reader.on("error", (error: Error) =>
      reject(badRequest(`archive is not a valid tar: ${error.message}`)),
    );
  });
  Readable.from([bufferView(tar)]).pipe(reader);
  await done;
  return entries;
}

interface Header {
  name: string;
  type?: string | null;
  mode?: number | null;
  linkname?: string | null;
}

function toEntry(header: Header, chunks: Buffer[]): ArchiveEntry | undefined {
  const name = relativeName(header.name);
  const mode = (header.mode ?? 0o644) & 0o7777;
  switch (header.type ?? "file") {
    case "file":
    case "contiguous-file": {
      if (name === "") throw refusal(header.name, "a file cannot be the target directory");
      const content = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      return { kind: "file", name, mode, content: new Uint8Array(content) };
    }
    case "directory":
      return name === "" ? undefined : { kind: "directory", name, mode };
    case "symlink":
      return { kind: "symlink", name, target: header.linkname ?? "" };
    case "link":
      return { kind: "link", name, target: relativeName(header.linkname ?? "") };
    case "pax-header":
    case "pax-global-header":
    case "gnu-long-path":
    case "gnu-long-link-path":
      return undefined;
    default:
      throw refusal(header.name, `entries of type ${header.type} are not supported`);
  }
}

function refusal(name: string, why: string) {
  return badRequest(`archive entry ${JSON.stringify(name)} refused: ${why}; nothing was written`);
}

/**
 * The name below the extraction directory, `./` and trailing slashes removed; `""` for
 * the directory itself. Absolute names and `..` segments are refused.
 */
function relativeName(raw: string): string {
  if (raw.includes("\0")) throw refusal(raw, "the name has a NUL byte");
  if (raw.startsWith("/")) throw refusal(raw, "the name is absolute");
  const segments = raw.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw refusal(raw, "the name has a '..' segment");
  return segments.join("/");
}

function checkEntry(entry: ArchiveEntry, earlier: Set<string>, symlinks: Set<string>): void {
  // A path through one of the archive's own symlinks could climb out of the tree from
  // wherever that link points (`l -> .` then `l/x -> ..`), so it is refused.
  const segments = entry.name.split("/");
  for (let depth = 1; depth < segments.length; depth += 1) {
    if (symlinks.has(segments.slice(0, depth).join("/"))) {
      throw refusal(entry.name, "the path goes through a symlink of the archive");
    }
  }
  if (entry.kind === "symlink") {
    if (entry.target.startsWith("/")) throw refusal(entry.name, "the symlink's target is absolute");
    if (escapes(parentName(entry.name), entry.target)) {
      throw refusal(entry.name, "the symlink points outside the target directory");
    }
  }
  if (entry.kind === "link" && !earlier.has(entry.target)) {
    throw refusal(entry.name, "the hard link names no earlier entry of the archive");
  }
}

function parentName(name: string): string {
  const index = name.lastIndexOf("/");
  return index < 0 ? "" : name.slice(0, index);
}

/** Whether `target`, relative to directory `from` (both inside the tree), leaves the tree. */
function escapes(from: string, target: string): boolean {
  const stack = from === "" ? [] : from.split("/");
  for (const segment of target.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (stack.length === 0) return true;
      stack.pop();
    } else {
      stack.push(segment);
    }
  }
  return false;
}
