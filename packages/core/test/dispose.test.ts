import { describe, expect, it } from "vitest";
import {
  asyncDispose,
  asyncDisposeOf,
  deleteIgnoringNotFound,
  withAsyncDispose,
} from "../src/dispose";
import { ArkerError } from "../src/index";

// `await using` support shared by vm's handles (sessions, mounts, VMs).
describe("the disposer key", () => {
  it("is the runtime's Symbol.asyncDispose when it has one", () => {
    const own = Symbol("own");
    expect(asyncDisposeOf({ asyncDispose: own })).toBe(own);
    expect(asyncDispose).toBe(Symbol.asyncDispose);
  });

  it("falls back to the key down-levelled `await using` looks up", () => {
    expect(asyncDisposeOf({})).toBe(Symbol.for("Symbol.asyncDispose"));
  });
});

describe("deleteIgnoringNotFound", () => {
  it("runs the delete", async () => {
    let deleted = 0;
    await deleteIgnoringNotFound(async () => {
      deleted++;
    });
    expect(deleted).toBe(1);
  });

  it("treats not_found as done: someone deleted it first", async () => {
    await expect(
      deleteIgnoringNotFound(async () => {
        throw new ArkerError("not_found", "gone", 404);
      }),
    ).resolves.toBeUndefined();
  });

  it("passes any other failure on", async () => {
    const forbidden = new ArkerError("forbidden", "no", 403);
    await expect(deleteIgnoringNotFound(() => Promise.reject(forbidden))).rejects.toBe(forbidden);
    const plain = Object.assign(new Error("not_found look-alike"), { code: "not_found" });
    await expect(deleteIgnoringNotFound(() => Promise.reject(plain))).rejects.toBe(plain);
  });
});

describe("withAsyncDispose", () => {
  it("adds a disposer that deletes, invisible to JSON and toEqual", async () => {
    const calls: string[] = [];
    const session = withAsyncDispose({ session_id: "s_1" }, async () => {
      calls.push("delete");
      throw new ArkerError("not_found", "gone", 404);
    });
    expect(JSON.stringify(session)).toBe('{"session_id":"s_1"}');
    expect(session).toEqual({ session_id: "s_1" });
    expect(Object.getOwnPropertyDescriptor(session, asyncDispose)).toMatchObject({
      enumerable: false,
      configurable: true,
    });
    await expect(session[Symbol.asyncDispose]()).resolves.toBeUndefined();
    expect(calls).toEqual(["delete"]);
  });
});
