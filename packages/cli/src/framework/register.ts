import { type Command, Option } from "commander";
import type { CommandContext } from "./context";
import { type ArgumentSpec, type CommandSpec, type Definition, helpAfter } from "./define-command";
import { presentResult } from "./present";

/** Adds every definition under `parent` (the root command or a group). */
export function registerDefinitions(
  parent: Command,
  definitions: readonly Definition[],
  context: CommandContext,
): void {
  for (const definition of definitions) {
    if (definition.kind === "group") {
      const group = parent
        .command(definition.name)
        .aliases(definition.aliases ?? [])
        .description(definition.summary)
        .addHelpText("after", helpAfter(definition.examples, definition.notes));
      registerDefinitions(group, definition.commands, context);
    } else {
      registerCommand(parent, definition.spec, context);
    }
  }
}

function registerCommand(
  parent: Command,
  spec: CommandSpec<unknown, unknown, unknown>,
  context: CommandContext,
): void {
  const command = parent
    .command(spec.name, spec.isDefault ? { isDefault: true } : {})
    .description(spec.summary);
  for (const argument of spec.arguments ?? []) {
    command.argument(argumentSyntax(argument), argument.description);
  }
  const options = (spec.options ?? []).map((declared) => {
    const option = new Option(declared.flags, declared.description);
    if (declared.parse) {
      option.argParser(declared.parse as (text: string, previous: unknown) => unknown);
    }
    command.addOption(option);
    return { key: declared.key ?? option.attributeName(), attribute: option.attributeName() };
  });
  command.addHelpText("after", helpAfter(spec.examples, spec.notes));
  command.action(async (...values: unknown[]) => {
    const args: Record<string, unknown> = {};
    (spec.arguments ?? []).forEach((argument, index) => {
      args[argument.name] = values[index];
    });
    const given = command.opts<Record<string, unknown>>();
    const parsed: Record<string, unknown> = {};
    for (const { key, attribute } of options) {
      if (given[attribute] !== undefined) parsed[key] = given[attribute];
    }
    await runCommand(spec, { args, options: parsed }, context);
  });
}

async function runCommand(
  spec: CommandSpec<unknown, unknown, unknown>,
  input: { args: unknown; options: unknown },
  context: CommandContext,
): Promise<void> {
  const result = await spec.action(input, context);
  let printed = false;
  try {
    await presentResult(spec, result, context);
    printed = true;
    context.exitCode = spec.exitCode?.(result) ?? context.exitCode;
  } finally {
    await spec.finish?.(result, context, printed);
  }
}

function argumentSyntax(argument: ArgumentSpec): string {
  const name = `${argument.name}${argument.variadic ? "..." : ""}`;
  return argument.optional ? `[${name}]` : `<${name}>`;
}
