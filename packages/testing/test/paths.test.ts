import { describe, expect, it } from "vitest";
import {
  baseName,
  isSameOrBelow,
  normalizePath,
  parentOf,
  resolvePath,
  validateApiPath,
} from "../src/files/paths.js";
import { ApiError } from "../src/support/errors.js";

describe("virtual filesystem paths", () => {
  it("normalizes: resolves . and .., collapses slashes, strips the trailing slash", () => {
    expect(normalizePath("/a/./b/../c//d/")).toBe("/a/c/d");
    expect(normalizePath("/../..")).toBe("/");
    expect(normalizePath("")).toBe("/");
    expect(normalizePath("a/b")).toBe("/a/b");
  });

  it("resolves a relative path against a base; an absolute one wins", () => {
    expect(resolvePath("/home/user", "src/../x")).toBe("/home/user/x");
    expect(resolvePath("/home/user", "/etc/./hosts")).toBe("/etc/hosts");
  });

  it("takes the parent and the last segment of a normalized path", () => {
    expect(parentOf("/a/b/c")).toBe("/a/b");
    expect(parentOf("/a")).toBe("/");
    expect(parentOf("/")).toBe("/");
    expect(baseName("/a/b.txt")).toBe("b.txt");
    expect(baseName("/a")).toBe("a");
    expect(baseName("/")).toBe("");
  });

  it("knows a path is the same as or below another, not a sibling sharing a prefix", () => {
    expect(isSameOrBelow("/", "/anything")).toBe(true);
    expect(isSameOrBelow("/a", "/a")).toBe(true);
    expect(isSameOrBelow("/a", "/a/b")).toBe(true);
    expect(isSameOrBelow("/a", "/ab")).toBe(false);
    expect(isSameOrBelow("/a/b", "/a")).toBe(false);
  });

  it("checks an API path by the contract's rule and returns it normalized", () => {
    expect(validateApiPath("/data//x/./y/")).toBe("/data/x/y");
    const refused = (() => {
      try {
        validateApiPath("relative", "src");
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({
      status: 400,
      code: "bad_request",
      message: "src must be absolute: relative",
    });
    expect(() => validateApiPath(42)).toThrow("path must be a non-empty string");
  });
});
