// Proves ApiError, badRequest and notFound carry the code, message, name and the contract's status.
import { describe, expect, it } from "vitest";
import { ApiError, badRequest, notFound } from "../src/support/errors.js";

describe("ApiError", () => {
  it("takes its status from the code unless given one, and names itself", () => {
    const error = new ApiError("conflict", "busy");
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "ApiError", code: "conflict", status: 409 });
    expect(error.message).toBe("busy");
    expect(new ApiError("conflict", "busy", 418).status).toBe(418);
  });

  it("badRequest is a 400 bad_request and notFound a 404 not_found", () => {
    expect(badRequest("no")).toMatchObject({ code: "bad_request", status: 400, message: "no" });
    expect(notFound("gone")).toMatchObject({ code: "not_found", status: 404, message: "gone" });
  });
});
