import type { FileEncoding, OutputEncoding } from "@arker-ai/core/wire";
import { bufferView } from "../support/buffer-view.js";

/**
 * Byte/text conversions for run output and inline file content.
 *
 * @module
 */

const strictDecoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Whether `bytes` are valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Run output on the wire: UTF-8 text, or base64 when the bytes are not valid UTF-8. */
export function encodeOutput(bytes: Uint8Array): { text: string; encoding: OutputEncoding } {
  if (bytes.byteLength === 0) return { text: "", encoding: "utf-8" };
  try {
    return { text: strictDecoder.decode(bytes), encoding: "utf-8" };
  } catch {
    return {
      text: bufferView(bytes).toString("base64"),
      encoding: "base64",
    };
  }
}

/** Inline file content on the wire: `utf8` (no hyphen) or `base64`. */
export function encodeFileContent(bytes: Uint8Array): { content: string; encoding: FileEncoding } {
  try {
    return { content: strictDecoder.decode(bytes), encoding: "utf8" };
  } catch {
    return {
      content: bufferView(bytes).toString("base64"),
      encoding: "base64",
    };
  }
}

/** UTF-8 bytes of a string, or the bytes themselves. */
export function toBytes(value: string | Uint8Array | undefined): Uint8Array {
  if (value === undefined) return EMPTY;
  return typeof value === "string" ? encoder.encode(value) : value;
}

// C0 controls other than tab/newline/carriage return/form feed, DEL, and C1 controls:
// text decoded from UTF-8 practically never holds them, raw binary nearly always does.
function hasBinaryHint(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x08 || (code >= 0x0e && code <= 0x1f) || (code >= 0x7f && code <= 0x9f))
      return true;
  }
  return false;
}

/**
 * Recovers the bytes of a just-bash output string. just-bash decodes output that is
 * valid UTF-8 and leaves other bytes as latin1 characters (one char per byte), so a
 * string without characters above U+00FF is ambiguous: it is taken as raw bytes when
 * those bytes are valid UTF-8 with multi-byte sequences (mixed output) or when it holds
 * control characters that text does not; otherwise as text.
 */
export function shellOutputBytes(output: string): Uint8Array {
  if (output === "") return EMPTY;
  let highLatin1 = false;
  for (let index = 0; index < output.length; index++) {
    const code = output.charCodeAt(index);
    if (code > 0xff) return encoder.encode(output);
    if (code >= 0x80) highLatin1 = true;
  }
  if (!highLatin1) return encoder.encode(output);
  const latin1 = Buffer.from(output, "latin1");
  if (isValidUtf8(latin1) || hasBinaryHint(output))
    return new Uint8Array(latin1.buffer, latin1.byteOffset, latin1.byteLength);
  return encoder.encode(output);
}
