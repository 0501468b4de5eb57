import { type CommandNode, commandPaths } from "./command-tree";

/** The shells `arker completion` writes a script for. */
export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;

/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The words offered after a command path: its subcommands, else its flags. */
function wordsAfter(node: CommandNode): string[] {
  const subcommands = node.commands.flatMap((child) => [child.name, ...child.aliases]);
  const flags = node.options.flatMap((option) => (option.long ? [option.long] : []));
  return [...subcommands, ...flags];
}

/** A word safe inside single quotes in sh and fish. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A bash completion function generated from the command tree: it walks the words typed
 * so far, keeps the longest known command path (flags, ids and values are skipped), and
 * offers that path's subcommands and flags.
 */
export function bashScript(root: CommandNode): string {
  const paths = commandPaths(root);
  const known = paths.map(({ path }) => `"${path.join(" ")}"`).join("|");
  const cases = [
    `    "") words=${quoted(wordsAfter(root).join(" "))} ;;`,
    ...paths.map(
      ({ path, node }) => `    "${path.join(" ")}") words=${quoted(wordsAfter(node).join(" "))} ;;`,
    ),
  ].join("\n");
  return `# arker completion for bash; load with: source <(arker completion bash)
_arker_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" key="" next word words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    next="\${key:+$key }$word"
    case "$next" in
      ${known}) key="$next" ;;
    esac
  done
  case "$key" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _arker_completion arker
`;
}

/** The zsh script: zsh's bash-completion layer running the generated bash function. */
export function zshScript(root: CommandNode): string {
  return `# arker completion for zsh; load with: source <(arker completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(root).split("\n").slice(1).join("\n")}`;
}

/**
 * A fish script: one \`complete\` line per subcommand and per flag, conditioned on the
 * command words already typed.
 */
export function fishScript(root: CommandNode): string {
  const lines = ["# arker completion for fish; load with: arker completion fish | source"];
  lines.push("complete -c arker -f");
  const top = root.commands.flatMap((child) => [child.name, ...child.aliases]);
  for (const option of root.options) lines.push(fishOption(option, ""));
  for (const child of root.commands) {
    for (const word of [child.name, ...child.aliases]) {
      lines.push(
        `complete -c arker -n ${quoted(`not __fish_seen_subcommand_from ${top.join(" ")}`)} -a ${quoted(word)} -d ${quoted(child.summary)}`,
      );
    }
    const words = [child.name, ...child.aliases].join(" ");
    const inChild = `__fish_seen_subcommand_from ${words}`;
    const grandWords = child.commands.map((grand) => grand.name);
    for (const grand of child.commands) {
      lines.push(
        `complete -c arker -n ${quoted(`${inChild}; and not __fish_seen_subcommand_from ${grandWords.join(" ")}`)} -a ${quoted(grand.name)} -d ${quoted(grand.summary)}`,
      );
      for (const option of grand.options) {
        lines.push(fishOption(option, `${inChild}; and __fish_seen_subcommand_from ${grand.name}`));
      }
    }
    if (child.commands.length === 0) {
      for (const option of child.options) lines.push(fishOption(option, inChild));
    }
  }
  return `${lines.join("\n")}\n`;
}

function fishOption(option: CommandNode["options"][number], condition: string): string {
  const parts = ["complete -c arker"];
  if (condition !== "") parts.push(`-n ${quoted(condition)}`);
  if (option.long) parts.push(`-l ${option.long.replace(/^--/, "")}`);
  if (option.short) parts.push(`-s ${option.short.replace(/^-/, "")}`);
  if (option.takesValue) parts.push("-r");
  parts.push(`-d ${quoted(option.description)}`);
  return parts.join(" ");
}

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell, root: CommandNode): string {
  if (shell === "bash") return bashScript(root);
  if (shell === "zsh") return zshScript(root);
  return fishScript(root);
}
