// Proves CowTree's delete answers true when it removed an entry, and that a write keeps the byte totals without summing a directory's entries.
import { Map as ImmutableMap } from "immutable";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CowTree, fileNode, segmentsOf } from "../src/files/cow-tree.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** The prototype that defines `values` for immutable's Map (shared by its collections). */
function valuesOwner(): { values: () => unknown } {
  let proto: object | null = Object.getPrototypeOf(ImmutableMap());
  while (proto !== null && !Object.hasOwn(proto, "values")) proto = Object.getPrototypeOf(proto);
  if (proto === null) throw new Error("immutable's Map has no values method");
  return proto as { values: () => unknown };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CowTree delete", () => {
  it("answers true when it removed an entry, at the top and below", () => {
    const tree = new CowTree();
    tree.set(segmentsOf("/a/f"), fileNode(bytes("x"), 0), true);
    tree.set(segmentsOf("/g"), fileNode(bytes("y"), 0));
    expect(tree.delete(segmentsOf("/a/f"))).toBe(true);
    expect(tree.delete(segmentsOf("/g"))).toBe(true);
    expect(tree.get(segmentsOf("/a/f"))).toBeUndefined();
    expect(tree.get(segmentsOf("/g"))).toBeUndefined();
  });
});

describe("CowTree byte totals on a write", () => {
  it("updates each directory's total from the old one, never iterating a directory's entries", () => {
    const tree = new CowTree();
    for (let index = 0; index < 20; index++) {
      tree.set(segmentsOf(`/d/f${index}`), fileNode(bytes("ab"), 0), true);
    }
    const values = vi.spyOn(valuesOwner(), "values");
    tree.set(segmentsOf("/d/new"), fileNode(bytes("abc"), 0));
    tree.set(segmentsOf("/d/f0"), fileNode(bytes("a"), 0));
    tree.delete(segmentsOf("/d/f1"));
    expect(values).not.toHaveBeenCalled();
    expect(tree.bytes).toBe(40 + 3 - 1 - 2);
  });
});
