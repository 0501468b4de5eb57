// Proves the byte/text conversions of run output and inline file content (engine/output.ts).
import { describe, expect, it } from "vitest";
import {
  encodeFileContent,
  encodeOutput,
  isValidUtf8,
  shellOutputBytes,
  toBytes,
} from "../src/engine/output.js";

/** Bytes at a non-zero offset of a larger buffer, as output slices often are. */
function slice(...bytes: number[]): Uint8Array {
  const backing = new Uint8Array([0x41, 0x42, ...bytes, 0x43]);
  return backing.subarray(2, 2 + bytes.length);
}

const list = (bytes: Uint8Array) => Array.from(bytes);

describe("output: UTF-8 checks and wire encodings", () => {
  it("isValidUtf8 accepts text and refuses a lone high byte", () => {
    expect(isValidUtf8(new TextEncoder().encode("héllo"))).toBe(true);
    expect(isValidUtf8(new Uint8Array([0xff]))).toBe(false);
  });

  it("encodeOutput: empty and text are utf-8, other bytes base64 of exactly those bytes", () => {
    expect(encodeOutput(new Uint8Array(0))).toEqual({ text: "", encoding: "utf-8" });
    expect(encodeOutput(new TextEncoder().encode("hé\n"))).toEqual({
      text: "hé\n",
      encoding: "utf-8",
    });
    expect(encodeOutput(slice(0xff, 0x00, 0x10))).toEqual({ text: "/wAQ", encoding: "base64" });
  });

  it("encodeFileContent: text is utf8 (no hyphen), other bytes base64 of exactly those bytes", () => {
    expect(encodeFileContent(new Uint8Array(0))).toEqual({ content: "", encoding: "utf8" });
    expect(encodeFileContent(new TextEncoder().encode("hé"))).toEqual({
      content: "hé",
      encoding: "utf8",
    });
    expect(encodeFileContent(slice(0xfe, 0x01))).toEqual({ content: "/gE=", encoding: "base64" });
  });

  it("toBytes: nothing is empty, a string is UTF-8, bytes are kept as they are", () => {
    expect(list(toBytes(undefined))).toEqual([]);
    expect(list(toBytes("é"))).toEqual([0xc3, 0xa9]);
    const bytes = new Uint8Array([1, 2]);
    expect(toBytes(bytes)).toBe(bytes);
  });
});

describe("output: the bytes of a just-bash output string", () => {
  it("empty, ASCII and characters past U+00FF are text", () => {
    expect(list(shellOutputBytes(""))).toEqual([]);
    expect(list(shellOutputBytes("a\x01\x7f"))).toEqual([0x61, 0x01, 0x7f]);
    expect(list(shellOutputBytes("\u0100\x01é"))).toEqual([0xc4, 0x80, 0x01, 0xc3, 0xa9]);
  });

  it("latin1 characters that spell valid multi-byte UTF-8 are those raw bytes", () => {
    // "Ã©" is how just-bash hands back the bytes C3 A9 of "é" when mixed with invalid bytes.
    expect(list(shellOutputBytes("Ã©"))).toEqual([0xc3, 0xa9]);
  });

  it("U+0080, the lowest high latin1 character, with a control character is raw bytes", () => {
    expect(list(shellOutputBytes("\x80\x01"))).toEqual([0x80, 0x01]);
  });

  it("ÿ with a control character is raw bytes; ÿ alone is text", () => {
    expect(list(shellOutputBytes("ÿ\x01"))).toEqual([0xff, 0x01]);
    expect(list(shellOutputBytes("ÿ"))).toEqual([0xc3, 0xbf]);
  });

  it("takes high latin1 with a control character as raw bytes, at each edge of the control ranges", () => {
    for (const hint of [0x00, 0x08, 0x0e, 0x1f, 0x7f, 0x80, 0x9f]) {
      expect(list(shellOutputBytes(`é${String.fromCharCode(hint)}`))).toEqual([0xe9, hint]);
    }
  });

  it("sees a control character in the first place too", () => {
    expect(list(shellOutputBytes("\x01ÿ"))).toEqual([0x01, 0xff]);
  });

  it("takes high latin1 with tab, newline, form feed, return, space, ~ or U+00A0 as text", () => {
    for (const plain of [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x7e, 0xa0]) {
      expect(list(shellOutputBytes(`é${String.fromCharCode(plain)}`))).toEqual(
        list(new TextEncoder().encode(`é${String.fromCharCode(plain)}`)),
      );
    }
  });
});
