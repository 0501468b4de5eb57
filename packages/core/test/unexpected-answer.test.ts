import { describe, expect, it } from "vitest";
import { isSuccessStatus, malformedHttpError } from "../src/unexpected-answer";

// How an answer outside the JSON happy path is classified (the client's side of
// hostile-answers.test.ts, where a real server cannot produce every case).
describe("isSuccessStatus", () => {
  it("is true for 2xx only", () => {
    expect([199, 200, 204, 299, 300].map(isSuccessStatus)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe("malformedHttpError", () => {
  const keep = (text: string) => text;

  it("names undici's HPE_* code, whatever the error's name", () => {
    const cause = Object.assign(new Error("Invalid header value char"), {
      code: "HPE_INVALID_HEADER_TOKEN",
    });
    const error = malformedHttpError(cause, keep);
    expect([error?.code, error?.status, error?.message]).toEqual([
      "internal",
      0,
      "internal: malformed HTTP answer (HPE_INVALID_HEADER_TOKEN): Invalid header value char",
    ]);
  });

  it("names a parser error without a code by its name", () => {
    const cause = new Error("bad content-length");
    cause.name = "HTTPParserError";
    expect(malformedHttpError(cause, keep)?.message).toBe(
      "internal: malformed HTTP answer (HTTPParserError): bad content-length",
    );
  });

  it("leaves other failures (resets, codes that merely contain HPE_) to the caller", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const lookalike = Object.assign(new Error("x"), { code: "X_HPE_" });
    expect(malformedHttpError(reset, keep)).toBeNull();
    expect(malformedHttpError(lookalike, keep)).toBeNull();
    expect(malformedHttpError("not an error", keep)).toBeNull();
  });
});
