import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeRequestBody } from "../src/http/content-encoding.js";
import { ApiError } from "../src/support/errors.js";

// Gzip request bodies on their own (fidelity.test.ts sends them through both doors): the
// body-size limit holds for the inflated size, and an encoding the fake cannot read is a 400.
const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString());

/** The ApiError `decode` throws. */
function refusal(decode: () => unknown): ApiError {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected a refusal");
}

describe("decodeRequestBody", () => {
  it("hands an unencoded body over as it is", () => {
    const body = new TextEncoder().encode("{}");
    for (const encoding of [undefined, "", "identity", " Identity "]) {
      expect(decodeRequestBody(body, encoding, 1), String(encoding)).toBe(body);
    }
    expect(decodeRequestBody(null, undefined, 1)).toBeNull();
  });

  it("inflates gzip and x-gzip, named in any case", () => {
    const body = gzipSync("hello");
    for (const encoding of ["gzip", " GZIP ", "x-gzip"]) {
      expect(text(decodeRequestBody(body, encoding, 1024)), encoding).toBe("hello");
    }
  });

  it("hands an empty or missing gzip body over without inflating it", () => {
    const empty = new Uint8Array(0);
    expect(decodeRequestBody(empty, "gzip", 1024)).toBe(empty);
    expect(decodeRequestBody(null, "gzip", 1024)).toBeNull();
  });

  it("applies the limit to the inflated size: up to it is served, past it is a 413", () => {
    const hundred = gzipSync(Buffer.alloc(100, 0x61));
    expect(decodeRequestBody(hundred, "gzip", 100)?.byteLength).toBe(100);
    const error = refusal(() => decodeRequestBody(hundred, "gzip", 99));
    expect(error.code).toBe("payload_too_large");
    expect(error.status).toBe(413);
    expect(error.message).toBe("request body exceeds the limit of 99 bytes once inflated");
    expect(text(decodeRequestBody(gzipSync(""), "gzip", 0))).toBe("");
  });

  it("refuses an encoding it cannot read and a body that is not gzip with a 400", () => {
    const unsupported = refusal(() => decodeRequestBody(new Uint8Array(1), "br", 10));
    expect(unsupported.code).toBe("bad_request");
    expect(unsupported.message).toBe("unsupported content-encoding: br (gzip is)");
    const long = refusal(() => decodeRequestBody(null, `${"x".repeat(40)}TAIL`, 10));
    expect(long.message).toBe(`unsupported content-encoding: ${"x".repeat(40)} (gzip is)`);
    const broken = refusal(() => decodeRequestBody(new Uint8Array([1, 2, 3]), "gzip", 10));
    expect(broken.code).toBe("bad_request");
    expect(broken.message).toBe("request body is not valid gzip");
  });
});
