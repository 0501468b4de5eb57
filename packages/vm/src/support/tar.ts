import { badRequest } from "@arker-ai/core/internal";
import { forEachInSlices, forEachLimited, LOCAL_FILE_CONCURRENCY } from "./parallel";

/**
 * A small tar (POSIX ustar + pax) writer and reader, enough for `vm.upload` and
 * `vm.download`: regular files, directories, symlinks and hard links, names of any
 * length (pax `path`/`linkpath`), modes. The writer fills one buffer of the archive's
 * exact size, so each file's bytes are copied once. vm's runtime dependencies stay core
 * (README, design decisions).
 *
 * @module
 */

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One entry to write or read. Names are relative, `/`-separated, without `./`. */
export type TarEntry =
  | { kind: "file"; name: string; mode: number; size: number; content?: Uint8Array }
  | { kind: "directory"; name: string; mode: number }
  | { kind: "symlink"; name: string; target: string; mode?: number }
  | { kind: "link"; name: string; target: string; mode?: number };

/** Fills a file's bytes into the archive (exactly `into.byteLength` of them). */
export type FileFill = (into: Uint8Array) => Promise<void>;

/**
 * Fills a small file's bytes with synchronous calls: such fills run one after another, in
 * slices between which the event loop runs, while the {@link FileFill}s run several at a time.
 */
export interface SyncFileFill {
  /** Fills exactly `into.byteLength` bytes. */
  sync: (into: Uint8Array) => void;
}

interface Planned {
  entry: TarEntry;
  pax: Uint8Array | null;
  fill: FileFill | SyncFileFill | null;
}

/** Plans an archive entry by entry, then writes it into one buffer. */
export class TarWriter {
  readonly #planned: Planned[] = [];
  #size = 2 * BLOCK;

  /** The archive's size so far (with its two closing blocks). */
  get size(): number {
    return this.#size;
  }

  /** Adds an entry; a file's bytes come from `fill`, called once while writing. */
  add(entry: TarEntry, fill: FileFill | SyncFileFill | null = null): void {
    const pax = paxRecords(entry);
    this.#planned.push({ entry, pax, fill });
    if (pax !== null) this.#size += BLOCK + padded(pax.byteLength);
    this.#size += BLOCK + (entry.kind === "file" ? padded(entry.size) : 0);
  }

  /**
   * Writes the archive into a new buffer of exactly {@link TarWriter.size} bytes: the
   * synchronous fills first, then the others several at a time, each into its own part of
   * the buffer. A failure is thrown once no fill is running.
   */
  async write(): Promise<Uint8Array> {
    const out = new Uint8Array(this.#size);
    const fills: Array<{ fill: FileFill; into: Uint8Array }> = [];
    const syncFills: Array<{ fill: SyncFileFill; into: Uint8Array }> = [];
    let offset = 0;
    for (const { entry, pax, fill } of this.#planned) {
      if (pax !== null) {
        writeHeader(out, offset, {
          name: "PaxHeader",
          type: "x",
          mode: 0o644,
          size: pax.byteLength,
        });
        out.set(pax, offset + BLOCK);
        offset += BLOCK + padded(pax.byteLength);
      }
      const size = entry.kind === "file" ? entry.size : 0;
      writeHeader(out, offset, {
        name: entry.kind === "directory" ? `${entry.name}/` : entry.name,
        type: TYPE_FLAGS[entry.kind],
        mode: entry.mode ?? (entry.kind === "symlink" ? 0o777 : 0o644),
        size,
        linkname: entry.kind === "symlink" || entry.kind === "link" ? entry.target : "",
      });
      offset += BLOCK;
      if (entry.kind === "file") {
        const body = out.subarray(offset, offset + size);
        if (entry.content !== undefined) body.set(entry.content);
        else if (typeof fill === "function") fills.push({ fill, into: body });
        else if (fill !== null) syncFills.push({ fill, into: body });
        offset += padded(size);
      }
    }
    await forEachInSlices(syncFills, ({ fill, into }) => fill.sync(into));
    await forEachLimited(fills, LOCAL_FILE_CONCURRENCY, ({ fill, into }) => fill(into));
    return out;
  }
}

const TYPE_FLAGS = { file: "0", link: "1", symlink: "2", directory: "5" } as const;

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** A pax header for a name or link target that does not fit ustar's 100 ASCII bytes. */
function paxRecords(entry: TarEntry): Uint8Array | null {
  const records: string[] = [];
  const name = entry.kind === "directory" ? `${entry.name}/` : entry.name;
  if (!fitsUstar(name)) records.push(paxRecord("path", name));
  if ((entry.kind === "symlink" || entry.kind === "link") && !fitsUstar(entry.target)) {
    records.push(paxRecord("linkpath", entry.target));
  }
  return records.length === 0 ? null : encoder.encode(records.join(""));
}

function fitsUstar(text: string): boolean {
  return text.length <= 100 && /^[\x20-\x7e]*$/.test(text);
}

/** `"<length> key=value\n"`, where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = encoder.encode(body).byteLength;
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length += 1;
  return `${length}${body}`;
}

function writeHeader(
  out: Uint8Array,
  at: number,
  header: { name: string; type: string; mode: number; size: number; linkname?: string },
): void {
  // Every value here is ASCII (names that are not went to a pax record), so encodeInto's
  // whole-character cut is the same as a byte cut, without a buffer per field.
  const text = (value: string, offset: number, length: number) => {
    encoder.encodeInto(value, out.subarray(at + offset, at + offset + length));
  };
  const octal = (value: number, offset: number, length: number) =>
    text(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length);
  text(
    fitsUstar(header.name) ? header.name : header.name.replace(/[^\x20-\x7e]/g, "_").slice(-100),
    0,
    100,
  );
  octal(header.mode & 0o7777, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(header.size, 124, 12);
  octal(0, 136, 12);
  text(header.type, 156, 1);
  const link = header.linkname ?? "";
  text(fitsUstar(link) ? link : "", 157, 100);
  text("ustar\u000000", 257, 8);
  out.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += out[at + i] as number;
  text(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
}

/**
 * Reads an archive into entries whose file contents are views into `tar` (no copy).
 * Understands ustar, pax (`path`, `linkpath`, `size`) and GNU long names; other entry
 * kinds (devices, FIFOs) are skipped. A malformed archive is a `bad_request`.
 */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (offset + BLOCK <= tar.byteLength) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    checkSum(header);
    const type = String.fromCharCode(header[156] as number) || "0";
    const size = pax.size !== undefined ? Number(pax.size) : readOctal(header, 124, 12);
    const start = offset + BLOCK;
    if (start + size > tar.byteLength) throw badRequest("the archive is truncated");
    const body = tar.subarray(start, start + size);
    offset = start + padded(size);
    if (type === "x") {
      pax = { ...pax, ...parsePax(body) };
      continue;
    }
    if (type === "g") continue;
    if (type === "L") {
      longName = cString(body);
      continue;
    }
    if (type === "K") {
      longLink = cString(body);
      continue;
    }
    const prefix = cString(header.subarray(345, 500));
    const rawName =
      pax.path ??
      longName ??
      (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    const target = pax.linkpath ?? longLink ?? cString(header.subarray(157, 257));
    pax = {};
    longName = undefined;
    longLink = undefined;
    const name = rawName
      .split("/")
      .filter((s) => s !== "" && s !== ".")
      .join("/");
    const mode = readOctal(header, 100, 8) & 0o7777;
    if (type === "0" || type === "\0" || type === "7") {
      entries.push({ kind: "file", name, mode, size, content: body });
    } else if (type === "5") {
      entries.push({ kind: "directory", name, mode });
    } else if (type === "2") {
      entries.push({ kind: "symlink", name, target, mode });
    } else if (type === "1") {
      entries.push({ kind: "link", name, target, mode });
    }
  }
  return entries;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function readOctal(header: Uint8Array, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  // GNU base-256 for sizes past 8 GiB: the high bit of the first byte is set.
  if (((field[0] as number) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i += 1) value = value * 256 + (field[i] as number);
    return value;
  }
  const text = cString(field).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw badRequest("the archive has a malformed header");
  return Number.parseInt(text, 8);
}

function checkSum(header: Uint8Array): void {
  const stored = readOctal(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  if (sum !== stored) throw badRequest("the archive has a header with a bad checksum");
}

function parsePax(body: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.byteLength) {
    const space = body.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number.parseInt(decoder.decode(body.subarray(offset, space)), 10);
    if (!Number.isInteger(length) || length <= 0) break;
    const record = decoder.decode(body.subarray(space + 1, offset + length - 1));
    const equals = record.indexOf("=");
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
