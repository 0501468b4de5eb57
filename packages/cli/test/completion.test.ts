import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, requireBuiltBinary, runArker } from "./harness";

/** Runs a bash snippet with `arker` defined as the built binary. */
function bash(snippet: string) {
  requireBuiltBinary();
  const arker = `arker() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }`;
  return spawnSync("bash", ["-c", `${arker}\n${snippet}`], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });
}

/** What the bash completion offers after the typed words (the last one may be partial). */
function offered(words: readonly string[]): string[] {
  const quotedWords = ["arker", ...words].map((word) => JSON.stringify(word)).join(" ");
  const result = bash(`source <(arker completion bash)
COMP_WORDS=(${quotedWords}); COMP_CWORD=${words.length}
_arker_completion; printf '%s\\n' "\${COMPREPLY[@]}"`);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split("\n").filter((line) => line !== "");
}

describe.concurrent("arker completion", () => {
  it("the bash script loads: complete -p arker shows the function", () => {
    const result = bash("source <(arker completion bash); complete -p arker");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("complete -o default -F _arker_completion arker");
  });

  it("bash offers the declared commands, group subcommands and each command's flags", () => {
    const top = offered([""]);
    for (const word of ["fork", "ls", "rm", "runs", "mounts", "syncs", "completion", "version"]) {
      expect(top).toContain(word);
    }
    expect(top).toContain("--json");
    expect(offered(["runs", ""]).sort()).toEqual(["--help", "cancel", "get", "ls", "wait"]);
    expect(offered(["--region", "us-west-2", "rm", "vm_1", "--y"])).toEqual(["--yes"]);
    expect(offered(["syncs", "c"])).toEqual(["create"]);
  });

  it("zsh reuses the bash function through bashcompinit; fish gets complete lines", async () => {
    const zsh = await runArker(["completion", "zsh"]);
    expect(zsh.code).toBe(0);
    expect(zsh.text).toContain("bashcompinit");
    expect(zsh.text).toContain("complete -o default -F _arker_completion arker");
    const fish = await runArker(["completion", "fish"]);
    expect(fish.text).toContain(
      "complete -c arker -n 'not __fish_seen_subcommand_from fork ls get rm resize run shell runs sync cp fs mounts syncs",
    );
    expect(fish.text).toMatch(/-n '__fish_seen_subcommand_from rm' -l yes -s y -d /);
  });

  it("an unknown shell is a usage error naming the three", async () => {
    const result = await runArker(["completion", "tcsh"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^arker: usage: <shell> must be one of bash, zsh, fish; got "tcsh"$/m,
    );
  });
});
