// Proves the goldens' base tree (directories, files, every built-in in /bin and /usr/bin) and a golden's own hostname.
import { PUBLIC_GOLDENS } from "@arker-ai/core/contract";
import { describe, expect, it } from "vitest";
import { buildBaseTree, GOLDEN_NAMES, goldenTree } from "../src/engine/goldens.js";
import type { CowTree, TreeNode } from "../src/files/cow-tree.js";

const NOW = 1_700_000_000_000;
const text = (node: TreeNode | undefined) =>
  node?.kind === "file" ? new TextDecoder().decode(node.content) : undefined;
const at = (tree: CowTree, path: string) => tree.get(path.split("/").filter(Boolean));

describe("buildBaseTree", () => {
  const tree = buildBaseTree(NOW);

  it("has the root, the usual directories and /home/user, stamped now", () => {
    expect(tree.root).toMatchObject({ kind: "directory", mtime: NOW });
    for (const path of [
      "/bin",
      "/usr/bin",
      "/usr/local/bin",
      "/tmp",
      "/root",
      "/var/tmp",
      "/opt",
      "/mnt",
      "/home/user",
    ]) {
      expect(at(tree, path), path).toMatchObject({ kind: "directory", mtime: NOW });
    }
  });

  it("has the base files with their content", () => {
    expect(text(at(tree, "/etc/os-release"))).toContain('PRETTY_NAME="Ubuntu 24.04.1 LTS"');
    expect(text(at(tree, "/etc/passwd"))).toContain("user:x:1000:1000:user:/home/user:/bin/bash\n");
    expect(text(at(tree, "/etc/shells"))).toBe("/bin/sh\n/bin/bash\n");
    expect(text(at(tree, "/home/user/.bashrc"))).toContain("export PS1=");
    expect(text(at(tree, "/home/user/.profile"))).toBe("# ~/.profile\n");
    expect(at(tree, "/dev/null")).toMatchObject({ kind: "file", mtime: NOW });
    expect(text(at(tree, "/dev/null"))).toBe("");
  });

  it("has each built-in as one executable script in /bin and /usr/bin", () => {
    for (const name of ["echo", "cat", "python3", "tput", "sqlite3"]) {
      const bin = at(tree, `/bin/${name}`);
      expect(bin, name).toMatchObject({ kind: "file", mode: 0o755, mtime: NOW });
      expect(text(bin)).toBe(`#!/bin/sh\n# ${name} is built into the fake's shell\n`);
      expect(at(tree, `/usr/bin/${name}`)).toBe(bin);
    }
    expect(at(tree, "/bin/nonesuch")).toBeUndefined();
  });
});

describe("goldenTree", () => {
  it("is a fork of the base with the golden's hostname; the base stays without one", () => {
    const base = buildBaseTree(NOW);
    const tree = goldenTree(base, "ubuntu-small", NOW + 1);
    expect(text(at(tree, "/etc/hostname"))).toBe("ubuntu-small\n");
    expect(at(tree, "/etc/hostname")).toMatchObject({ mtime: NOW + 1 });
    expect(at(base, "/etc/hostname")).toBeUndefined();
    expect(text(at(tree, "/etc/shells"))).toBe("/bin/sh\n/bin/bash\n");
  });

  it("the golden names are the contract's", () => {
    expect(GOLDEN_NAMES).toEqual(PUBLIC_GOLDENS);
  });
});
