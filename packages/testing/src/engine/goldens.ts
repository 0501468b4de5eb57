import { PUBLIC_GOLDENS } from "@arker-ai/core/contract";
import { CowTree, directoryNode, fileNode } from "../files/cow-tree.js";

/**
 * The public golden images' starting filesystem: a small, realistic Ubuntu-like tree.
 * Every golden shares one base tree; only `/etc/hostname` differs.
 *
 * @module
 */

const encoder = new TextEncoder();

const OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
`;

const BASE_FILES: Record<string, string> = {
  "/etc/os-release": OS_RELEASE,
  "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:user:/home/user:/bin/bash\n",
  "/etc/shells": "/bin/sh\n/bin/bash\n",
  "/home/user/.bashrc": "# ~/.bashrc\nexport PS1='\\u@\\h:\\w\\$ '\n",
  "/home/user/.profile": "# ~/.profile\n",
  "/dev/null": "",
};

const BASE_DIRECTORIES = [
  "/bin",
  "/usr/bin",
  "/usr/local/bin",
  "/tmp",
  "/root",
  "/var/tmp",
  "/opt",
  "/mnt",
];

// just-bash finds a command through PATH in the filesystem, so every built-in needs an
// entry in /bin (and /usr/bin, as on a merged-/usr Ubuntu).
const BINARIES = [
  "echo",
  "cat",
  "printf",
  "ls",
  "mkdir",
  "rmdir",
  "touch",
  "rm",
  "cp",
  "mv",
  "ln",
  "chmod",
  "pwd",
  "readlink",
  "head",
  "tail",
  "wc",
  "stat",
  "grep",
  "fgrep",
  "egrep",
  "rg",
  "sed",
  "awk",
  "sort",
  "uniq",
  "comm",
  "cut",
  "paste",
  "tr",
  "rev",
  "nl",
  "fold",
  "expand",
  "unexpand",
  "strings",
  "split",
  "column",
  "join",
  "tee",
  "find",
  "basename",
  "dirname",
  "tree",
  "du",
  "env",
  "printenv",
  "alias",
  "unalias",
  "history",
  "xargs",
  "true",
  "false",
  "clear",
  "bash",
  "sh",
  "jq",
  "base64",
  "diff",
  "date",
  "sleep",
  "timeout",
  "seq",
  "expr",
  "md5sum",
  "sha1sum",
  "sha256sum",
  "file",
  "html-to-markdown",
  "help",
  "which",
  "tac",
  "hostname",
  "od",
  "gzip",
  "gunzip",
  "zcat",
  "tar",
  "yq",
  "xan",
  "sqlite3",
  "time",
  "whoami",
  "python3",
  "python",
  "stty",
  "tput",
];

/** Builds the base tree every golden starts from. */
export function buildBaseTree(now: number): CowTree {
  const tree = new CowTree(directoryNode(now), now);
  for (const path of BASE_DIRECTORIES) tree.set(segments(path), directoryNode(now), true, now);
  tree.set(segments("/home/user"), directoryNode(now), true, now);
  for (const [path, content] of Object.entries(BASE_FILES)) {
    tree.set(segments(path), fileNode(encoder.encode(content), now), true, now);
  }
  for (const binary of BINARIES) {
    const stub = encoder.encode(`#!/bin/sh\n# ${binary} is built into the fake's shell\n`);
    const node = fileNode(stub, now, 0o755);
    tree.set(segments(`/bin/${binary}`), node, true, now);
    tree.set(segments(`/usr/bin/${binary}`), node, true, now);
  }
  return tree;
}

/** The golden names, re-exported for the engine. */
export const GOLDEN_NAMES: readonly string[] = PUBLIC_GOLDENS;

/** A golden's own tree: a fork of the base with its hostname. */
export function goldenTree(base: CowTree, name: string, now: number): CowTree {
  const tree = base.fork();
  tree.set(segments("/etc/hostname"), fileNode(encoder.encode(`${name}\n`), now), true, now);
  return tree;
}

function segments(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}
