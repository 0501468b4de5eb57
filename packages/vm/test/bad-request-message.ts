import { ArkerError } from "@arker-ai/core";
import { expect } from "vitest";

/** Calls `call`, expects it to throw a `bad_request` ArkerError, and returns its message. */
export function badRequestMessage(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(ArkerError.is(error) && error.code).toBe("bad_request");
    return (error as Error).message;
  }
  throw new Error("expected a bad_request");
}
