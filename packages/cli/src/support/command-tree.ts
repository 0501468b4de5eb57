import type { Command } from "commander";

/** One flag as `--json` help and the completion scripts describe it. */
export interface OptionNode {
  /** The flag syntax, e.g. `-y, --yes` or `--vcpus <n>`. */
  readonly flags: string;
  /** The long name (`--yes`), when there is one. */
  readonly long: string | null;
  /** The short name (`-y`), when there is one. */
  readonly short: string | null;
  /** Whether the flag takes a value. */
  readonly takesValue: boolean;
  /** The help line. */
  readonly description: string;
}

/** One positional argument. */
export interface ArgumentNode {
  /** The name (`vm`). */
  readonly name: string;
  /** The help line. */
  readonly description: string;
  /** Must be given. */
  readonly required: boolean;
  /** Takes every remaining word. */
  readonly variadic: boolean;
}

/** A command or group of the tree, with everything under it. */
export interface CommandNode {
  /** The command word (`arker` for the root). */
  readonly name: string;
  /** Other words that run it (`syncs` for `mounts`). */
  readonly aliases: readonly string[];
  /** The one-line description. */
  readonly summary: string;
  /** The usage line after the command path (`[options] <vm>`). */
  readonly usage: string;
  /** The positional arguments. */
  readonly arguments: readonly ArgumentNode[];
  /** The flags, `--help` included. */
  readonly options: readonly OptionNode[];
  /** The subcommands. */
  readonly commands: readonly CommandNode[];
}

/**
 * Describes the command tree as commander holds it after `registerDefinitions`, so
 * `arker --json` and `arker completion` show exactly the commands and flags that parse.
 */
export function describeCommand(command: Command): CommandNode {
  const help = command.createHelp();
  return {
    name: command.name(),
    aliases: command.aliases(),
    summary: command.description(),
    usage: command.usage(),
    arguments: command.registeredArguments.map((argument) => ({
      name: argument.name(),
      description: argument.description,
      required: argument.required,
      variadic: argument.variadic,
    })),
    options: help.visibleOptions(command).map((option) => ({
      flags: option.flags,
      long: option.long ?? null,
      short: option.short ?? null,
      takesValue: option.required || option.optional,
      description: option.description,
    })),
    commands: command.commands.map(describeCommand),
  };
}

/** Every command word path of the tree (`runs`, `runs ls`, …), aliases included. */
export function commandPaths(
  node: CommandNode,
  prefix: readonly string[] = [],
): Array<{ path: string[]; node: CommandNode }> {
  return node.commands.flatMap((child) =>
    [child.name, ...child.aliases].flatMap((word) => {
      const path = [...prefix, word];
      return [{ path, node: child }, ...commandPaths(child, path)];
    }),
  );
}
