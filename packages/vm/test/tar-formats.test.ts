import { describe, expect, it } from "vitest";
import { readTar, type TarEntry, TarWriter } from "../src/support/tar";

// The tar reader on archives other tools write (GNU long names, ustar prefixes, pax
// records, base-256 sizes), and the writer's header fields byte by byte (found by mutation
// testing: TESTING.md). Archives here are built by hand, one 512-byte header at a time.

const BLOCK = 512;
const ascii = new TextEncoder();
const latin = new TextDecoder();

interface Header {
  name?: string;
  type?: string;
  size?: number;
  mode?: string;
  linkname?: string;
  prefix?: string;
  /** Raw bytes for the size field (e.g. GNU base-256), instead of `size` in octal. */
  sizeField?: Uint8Array;
  /** Spoils the checksum. */
  badSum?: boolean;
}

function header(h: Header): Uint8Array {
  const out = new Uint8Array(BLOCK);
  const put = (text: string, at: number) => out.set(ascii.encode(text), at);
  put(h.name ?? "", 0);
  put(h.mode ?? "0000644\0", 100);
  if (h.sizeField) out.set(h.sizeField, 124);
  else put(`${(h.size ?? 0).toString(8).padStart(11, "0")}\0`, 124);
  put(h.type ?? "0", 156);
  put(h.linkname ?? "", 157);
  put("ustar\u000000", 257);
  put(h.prefix ?? "", 345);
  out.fill(0x20, 148, 156);
  let sum = out.reduce((total, byte) => total + byte, 0);
  if (h.badSum) sum += 1;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return out;
}

function body(text: string): Uint8Array {
  const bytes = ascii.encode(text);
  const out = new Uint8Array(Math.ceil(bytes.byteLength / BLOCK) * BLOCK);
  out.set(bytes);
  return out;
}

function archive(...parts: Uint8Array[]): Uint8Array {
  const withEnd = [...parts, new Uint8Array(2 * BLOCK)];
  const out = new Uint8Array(withEnd.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of withEnd) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function paxBody(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([key, value]) => {
      const rest = ` ${key}=${value}\n`;
      let length = rest.length + 1;
      while (String(length).length + rest.length !== length) length += 1;
      return `${length}${rest}`;
    })
    .join("");
}

const names = (entries: TarEntry[]) => entries.map((e) => `${e.kind}:${e.name}`);
const content = (entry: TarEntry | undefined) =>
  entry?.kind === "file" ? latin.decode(entry.content) : undefined;

describe("readTar on other tools' archives", () => {
  it("takes GNU long names and long link targets for the next entry only", () => {
    const longName = `${"n".repeat(150)}/file`;
    const longTarget = `${"t".repeat(150)}/target`;
    const tar = archive(
      header({ name: "././@LongLink", type: "L", size: longName.length + 1 }),
      body(`${longName}\0`),
      header({ name: "short", size: 2 }),
      body("hi"),
      header({ name: "././@LongLink", type: "K", size: longTarget.length }),
      body(longTarget),
      header({ name: "ln", type: "2", linkname: "short-target" }),
      header({ name: "plain", type: "2", linkname: "other" }),
    );
    const entries = readTar(tar);
    expect(entries).toEqual([
      { kind: "file", name: longName, mode: 0o644, size: 2, content: expect.anything() },
      { kind: "symlink", name: "ln", target: longTarget, mode: 0o644 },
      { kind: "symlink", name: "plain", target: "other", mode: 0o644 },
    ]);
    expect(content(entries[0])).toBe("hi");
  });

  it("joins the ustar prefix and the name, and tidies ./ and doubled slashes", () => {
    const tar = archive(
      header({ name: "c.txt", prefix: "a/b" }),
      header({ name: "./x//y/", type: "5" }),
    );
    expect(names(readTar(tar))).toEqual(["file:a/b/c.txt", "directory:x/y"]);
  });

  it("reads pax path, linkpath and size for the next entry, skipping global headers", () => {
    const pax = paxBody({ path: "from/pax", linkpath: "pax/target", size: "3", comment: "ok" });
    const tar = archive(
      header({ name: "PaxHeader", type: "g", size: 20 }),
      body(paxBody({ path: "global/ignored" })),
      header({ name: "PaxHeader", type: "x", size: pax.length }),
      body(pax),
      header({ name: "ustar-name", type: "1", size: 0, linkname: "ustar-target" }),
      body("abc"),
      header({ name: "next", type: "2", linkname: "own" }),
    );
    expect(readTar(tar)).toEqual([
      { kind: "link", name: "from/pax", target: "pax/target", mode: 0o644 },
      { kind: "symlink", name: "next", target: "own", mode: 0o644 },
    ]);
  });

  it("ignores a pax record without '=' (its text is no key)", () => {
    const pax = `8 pathX\n${paxBody({ linkpath: "kept" })}`;
    const tar = archive(
      header({ name: "PaxHeader", type: "x", size: pax.length }),
      body(pax),
      header({ name: "own-name", type: "2", linkname: "x" }),
    );
    expect(readTar(tar)).toEqual([
      { kind: "symlink", name: "own-name", target: "kept", mode: 0o644 },
    ]);
  });

  it("keeps a pax header's records across a global header to the next entry", () => {
    const pax = paxBody({ path: "from/pax" });
    const tar = archive(
      header({ name: "PaxHeader", type: "x", size: pax.length }),
      body(pax),
      header({ name: "PaxHeader", type: "g", size: 0 }),
      header({ name: "ustar-name" }),
    );
    expect(names(readTar(tar))).toEqual(["file:from/pax"]);
  });

  it("stops reading pax records at a malformed one, and ignores a record without a key", () => {
    const good = paxBody({ path: "kept" });
    for (const tail of ["x nonsense", "0 path=zero\n", "nospace"]) {
      const pax = `${good}7 =bad\n${tail}`;
      const tar = archive(
        header({ name: "PaxHeader", type: "x", size: pax.length }),
        body(pax),
        header({ name: "fallback" }),
      );
      expect(names(readTar(tar)), tail).toEqual(["file:kept"]);
    }
  });

  it("reads old-style and contiguous files, skips devices and FIFOs", () => {
    const tar = archive(
      header({ name: "old", type: "\0", size: 1 }),
      body("o"),
      header({ name: "contiguous", type: "7", size: 1 }),
      body("c"),
      header({ name: "dev", type: "3" }),
      header({ name: "fifo", type: "6" }),
      header({ name: "last", type: "0", size: 1 }),
      body("l"),
    );
    const entries = readTar(tar);
    expect(names(entries)).toEqual(["file:old", "file:contiguous", "file:last"]);
    expect(entries.map(content)).toEqual(["o", "c", "l"]);
  });

  it("reads a GNU base-256 size", () => {
    const field = new Uint8Array(12);
    field[0] = 0x80;
    field[10] = 0x01;
    field[11] = 0x02;
    const tar = archive(header({ name: "big", sizeField: field }), new Uint8Array(0x200));
    expect(readTar(tar)).toMatchObject([{ kind: "file", name: "big", size: 0x102 }]);
  });

  it("reads an empty mode as 0 and refuses a mode that is not octal", () => {
    expect(readTar(archive(header({ name: "m", mode: "\0" })))).toMatchObject([{ mode: 0 }]);
    expect(readTar(archive(header({ name: "m", mode: " 755 \0" })))).toMatchObject([
      { mode: 0o755 },
    ]);
    for (const mode of ["0000899\0", "9000007\0"]) {
      expect(() => readTar(archive(header({ name: "m", mode })))).toThrow(
        "bad_request: the archive has a malformed header",
      );
    }
  });

  it("checks each header's sum, and ends at the end blocks or the end of the bytes", () => {
    expect(() => readTar(archive(header({ name: "a", badSum: true })))).toThrow(
      "bad_request: the archive has a header with a bad checksum",
    );
    const noEnd = header({ name: "a" });
    expect(names(readTar(noEnd))).toEqual(["file:a"]);
    const afterEnd = archive(header({ name: "a" }));
    const withTrailer = new Uint8Array(afterEnd.byteLength + BLOCK);
    withTrailer.set(afterEnd);
    withTrailer.set(header({ name: "after" }), afterEnd.byteLength);
    expect(names(readTar(withTrailer))).toEqual(["file:a"]);
    const partial = new Uint8Array(BLOCK + 100).fill(0x37);
    partial.set(header({ name: "a" }));
    expect(names(readTar(partial))).toEqual(["file:a"]);
    expect(() => readTar(archive(header({ name: "a", size: 1 })).subarray(0, BLOCK))).toThrow(
      "bad_request: the archive is truncated",
    );
  });
});

describe("TarWriter headers", () => {
  async function written(entries: TarEntry[]): Promise<Uint8Array> {
    const writer = new TarWriter();
    for (const entry of entries) writer.add(entry);
    return writer.write();
  }

  const field = (tar: Uint8Array, at: number, length: number) =>
    latin.decode(tar.subarray(at, at + length));

  it("writes the ustar fields: name, mode, ids, size, type, link, magic and checksum", async () => {
    const tar = await written([{ kind: "symlink", name: "ln", target: "to/here" }]);
    expect(field(tar, 0, 100)).toBe(`ln${"\0".repeat(98)}`);
    expect(field(tar, 100, 8)).toBe("0000777\0");
    expect(field(tar, 108, 8)).toBe("0000000\0");
    expect(field(tar, 116, 8)).toBe("0000000\0");
    expect(field(tar, 124, 12)).toBe("00000000000\0");
    expect(field(tar, 136, 12)).toBe("00000000000\0");
    expect(field(tar, 156, 1)).toBe("2");
    expect(field(tar, 157, 100)).toBe(`to/here${"\0".repeat(93)}`);
    expect(field(tar, 257, 8)).toBe("ustar\u000000");
    const sum = tar
      .subarray(0, BLOCK)
      .reduce((total, byte, i) => total + (i >= 148 && i < 156 ? 0x20 : byte), 0);
    expect(field(tar, 148, 8)).toBe(`${sum.toString(8).padStart(6, "0")}\0 `);
    expect(tar.byteLength).toBe(3 * BLOCK);
    expect(tar.subarray(BLOCK).every((byte) => byte === 0)).toBe(true);
  });

  it("leaves the link field empty for files, folders, pax headers and a long target", async () => {
    const longTarget = "t".repeat(101);
    const tar = await written([
      { kind: "file", name: "f", mode: 0o644, size: 0, content: new Uint8Array() },
      { kind: "directory", name: "dir", mode: 0o755 },
      { kind: "symlink", name: "s", target: longTarget },
    ]);
    const empty = "\0".repeat(100);
    expect(field(tar, 157, 100)).toBe(empty);
    expect(field(tar, BLOCK, 100)).toBe("dir/".padEnd(100, "\0"));
    expect(field(tar, BLOCK + 157, 100)).toBe(empty);
    expect(field(tar, 2 * BLOCK, 100)).toBe("PaxHeader".padEnd(100, "\0"));
    expect(field(tar, 2 * BLOCK + 157, 100)).toBe(empty);
    expect(latin.decode(tar.subarray(3 * BLOCK, 4 * BLOCK))).toContain(` linkpath=${longTarget}\n`);
    expect(field(tar, 4 * BLOCK, 100)).toBe("s".padEnd(100, "\0"));
    expect(field(tar, 4 * BLOCK + 157, 100)).toBe(empty);
  });

  it("names a long file in its pax record without a trailing slash", async () => {
    const long = "f".repeat(120);
    const tar = await written([
      { kind: "file", name: long, mode: 0o644, size: 0, content: new Uint8Array() },
    ]);
    expect(latin.decode(tar.subarray(BLOCK, 2 * BLOCK))).toContain(` path=${long}\n`);
  });

  it("gives a hard link without a mode 0644 and keeps only the permission bits", async () => {
    const tar = await written([
      { kind: "link", name: "hard", target: "file" },
      { kind: "file", name: "f", mode: 0o100755, size: 0, content: new Uint8Array() },
    ]);
    expect(field(tar, 100, 8)).toBe("0000644\0");
    expect(field(tar, 156, 1)).toBe("1");
    expect(field(tar, BLOCK + 100, 8)).toBe("0000755\0");
  });

  it("puts a long or non-ASCII name in a pax record, and its ASCII tail in the header", async () => {
    const long = `${"d/".repeat(60)}é.txt`;
    const tar = await written([{ kind: "directory", name: long, mode: 0o755 }]);
    expect(field(tar, 0, 100)).toBe("PaxHeader".padEnd(100, "\0"));
    expect(field(tar, 156, 1)).toBe("x");
    const record = `${long}/`;
    expect(latin.decode(tar.subarray(BLOCK, 2 * BLOCK))).toContain(` path=${record}\n`);
    const ustarName = field(tar, 2 * BLOCK, 100);
    expect(ustarName).toBe(`${long}/`.replace("é", "_").slice(-100));
    expect(field(tar, 2 * BLOCK + 156, 1)).toBe("5");
    expect(readTar(tar)).toEqual([{ kind: "directory", name: long, mode: 0o755 }]);
  });

  it("a short ASCII name with one non-ASCII character goes to pax, a 100-byte one does not", async () => {
    const tar = await written([
      { kind: "file", name: "ü", mode: 0o644, size: 0, content: new Uint8Array() },
      { kind: "file", name: "a".repeat(100), mode: 0o644, size: 0, content: new Uint8Array() },
    ]);
    expect(field(tar, 156, 1)).toBe("x");
    expect(field(tar, 2 * BLOCK, 100)).toBe("_".padEnd(100, "\0"));
    expect(field(tar, 3 * BLOCK, 100)).toBe("a".repeat(100));
    expect(field(tar, 3 * BLOCK + 156, 1)).toBe("0");
    expect(tar.byteLength).toBe(6 * BLOCK);
  });

  it("round-trips a long link target, and names of every length around the pax record's digits", async () => {
    const entries: TarEntry[] = [];
    for (let length = 90; length <= 1010; length += 1) {
      entries.push({ kind: "symlink", name: `n${length}`.padEnd(length, "x"), target: "t" });
    }
    entries.push({ kind: "symlink", name: "s", target: "y".repeat(101) });
    entries.push({ kind: "symlink", name: "b".repeat(150), target: "z".repeat(150) });
    const read = await written(entries).then(readTar);
    expect(read).toEqual(entries.map((e) => ({ ...e, mode: 0o777 })));
    const hard: TarEntry = { kind: "link", name: "h", target: "w".repeat(130), mode: 0o600 };
    expect(readTar(await written([hard]))).toEqual([hard]);
  });

  it("fills a file from its fill function when it has no content", async () => {
    const writer = new TarWriter();
    writer.add({ kind: "file", name: "filled", mode: 0o644, size: 3 }, async (into) => {
      into.set(ascii.encode("xyz"));
    });
    writer.add({ kind: "file", name: "given", mode: 0o644, size: 1, content: ascii.encode("g") });
    const read = readTar(await writer.write());
    expect(read.map(content)).toEqual(["xyz", "g"]);
  });

  it("fills small files from synchronous fills, alongside the async ones", async () => {
    const writer = new TarWriter();
    writer.add(
      { kind: "file", name: "sync", mode: 0o644, size: 2 },
      { sync: (into) => into.set(ascii.encode("ab")) },
    );
    writer.add({ kind: "file", name: "async", mode: 0o644, size: 1 }, async (into) => {
      into.set(ascii.encode("c"));
    });
    writer.add(
      { kind: "file", name: "sync2", mode: 0o644, size: 1 },
      { sync: (into) => into.set(ascii.encode("d")) },
    );
    expect(readTar(await writer.write()).map(content)).toEqual(["ab", "c", "d"]);
  });

  it("throws a synchronous fill's failure before any async fill starts", async () => {
    const writer = new TarWriter();
    let asyncStarted = false;
    writer.add({ kind: "file", name: "slow", mode: 0o644, size: 1 }, async () => {
      asyncStarted = true;
    });
    writer.add(
      { kind: "file", name: "bad", mode: 0o644, size: 1 },
      {
        sync: () => {
          throw new Error("unreadable");
        },
      },
    );
    await expect(writer.write()).rejects.toThrow("unreadable");
    expect(asyncStarted).toBe(false);

    const failing = new TarWriter();
    failing.add({ kind: "file", name: "a", mode: 0o644, size: 1 }, async () => {
      throw new Error("async failed");
    });
    failing.add({ kind: "file", name: "b", mode: 0o644, size: 1 }, { sync: () => {} });
    await expect(failing.write()).rejects.toThrow("async failed");
  });
});
