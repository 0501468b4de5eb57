import { Command } from "commander";
import { describe, expect, it } from "vitest";
import {
  type CommandNode,
  commandPaths,
  describeCommand,
  type OptionNode,
} from "../src/support/command-tree";
import { bashScript, fishScript, zshScript } from "../src/support/completion-scripts";

// The scripts for a small tree, written out in full, so every generated word is pinned:
// the whole program's scripts are checked by running them (completion.test.ts).

function option(partial: Partial<OptionNode> & { description: string }): OptionNode {
  return { flags: "", long: null, short: null, takesValue: false, ...partial };
}

function command(name: string, partial: Partial<CommandNode> = {}): CommandNode {
  return {
    name,
    aliases: [],
    summary: "",
    usage: "",
    arguments: [],
    options: [],
    commands: [],
    ...partial,
  };
}

const TREE: CommandNode = command("arker", {
  options: [option({ long: "--json", description: "print JSON" })],
  commands: [
    command("vm", {
      aliases: ["vms"],
      summary: "manage VMs",
      options: [option({ long: "--help", description: "show help" })],
      commands: [
        command("ls", {
          summary: "list VMs",
          options: [
            option({ long: "--all", short: "-a", description: "every one" }),
            option({ long: "--limit", takesValue: true, description: "at most n" }),
          ],
        }),
        command("rm", { summary: "remove a VM" }),
      ],
    }),
    command("version", {
      summary: "print the version's number",
      options: [option({ short: "-s", description: "short" })],
    }),
  ],
});

const BASH_BODY = `_arker_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" key="" next word words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    next="\${key:+$key }$word"
    case "$next" in
      "vm"|"vm ls"|"vm rm"|"vms"|"vms ls"|"vms rm"|"version") key="$next" ;;
    esac
  done
  case "$key" in
    "") words='vm vms version --json' ;;
    "vm") words='ls rm --help' ;;
    "vm ls") words='--all --limit' ;;
    "vm rm") words='' ;;
    "vms") words='ls rm --help' ;;
    "vms ls") words='--all --limit' ;;
    "vms rm") words='' ;;
    "version") words='' ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _arker_completion arker
`;

describe("completion scripts of a known tree", () => {
  it("bash: every command path, and each path's subcommands, aliases and long flags", () => {
    expect(bashScript(TREE)).toBe(
      `# arker completion for bash; load with: source <(arker completion bash)\n${BASH_BODY}`,
    );
  });

  it("zsh: bashcompinit, then the bash function without bash's header line", () => {
    expect(
      zshScript(TREE),
    ).toBe(`# arker completion for zsh; load with: source <(arker completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${BASH_BODY}`);
  });

  it("fish: top-level words, grandchildren under their parent, flags where they apply, quotes escaped", () => {
    const notTop = `-n 'not __fish_seen_subcommand_from vm vms version'`;
    const inVm = "__fish_seen_subcommand_from vm vms";
    expect(fishScript(TREE).split("\n")).toEqual([
      "# arker completion for fish; load with: arker completion fish | source",
      "complete -c arker -f",
      "complete -c arker -l json -d 'print JSON'",
      `complete -c arker ${notTop} -a 'vm' -d 'manage VMs'`,
      `complete -c arker ${notTop} -a 'vms' -d 'manage VMs'`,
      `complete -c arker -n '${inVm}; and not __fish_seen_subcommand_from ls rm' -a 'ls' -d 'list VMs'`,
      `complete -c arker -n '${inVm}; and __fish_seen_subcommand_from ls' -l all -s a -d 'every one'`,
      `complete -c arker -n '${inVm}; and __fish_seen_subcommand_from ls' -l limit -r -d 'at most n'`,
      `complete -c arker -n '${inVm}; and not __fish_seen_subcommand_from ls rm' -a 'rm' -d 'remove a VM'`,
      `complete -c arker ${notTop} -a 'version' -d 'print the version'\\''s number'`,
      "complete -c arker -n '__fish_seen_subcommand_from version' -s s -d 'short'",
      "",
    ]);
  });
});

describe("the command tree", () => {
  it("lists every path from the root, aliases included, depth first", () => {
    expect(commandPaths(TREE).map(({ path, node }) => [path.join(" "), node.name])).toEqual([
      ["vm", "vm"],
      ["vm ls", "ls"],
      ["vm rm", "rm"],
      ["vms", "vm"],
      ["vms ls", "ls"],
      ["vms rm", "rm"],
      ["version", "version"],
    ]);
  });

  it("a flag takes a value when the value is required or optional", () => {
    const program = new Command("arker")
      .option("--limit <n>", "at most n")
      .option("--tail [lines]", "the last lines")
      .option("-y, --yes", "do not ask");
    const byLong = Object.fromEntries(
      describeCommand(program).options.map((flag) => [flag.long, flag.takesValue]),
    );
    expect(byLong).toEqual({ "--limit": true, "--tail": true, "--yes": false, "--help": false });
  });
});
