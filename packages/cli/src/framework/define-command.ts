import type { Styles } from "../support/output";
import type { CommandContext } from "./context";

/** One positional argument of a command. */
export interface ArgumentSpec {
  /** The key the action reads it under, e.g. `vm` (also shown in the usage line). */
  readonly name: string;
  /** The help line. */
  readonly description: string;
  /** Takes every remaining word as a list (`<vm...>`). */
  readonly variadic?: boolean;
  /** May be left out (`[source]`). */
  readonly optional?: boolean;
}

/** One flag of a command. */
export interface OptionSpec {
  /** The flag syntax, e.g. `--vcpus <n>` or `--durable`. */
  readonly flags: string;
  /** The help line. */
  readonly description: string;
  /**
   * Turns the text into the value, throwing a `UsageError` for a bad one; repeatable
   * flags get the value so far as `previous`.
   */
  readonly parse?: (text: string, previous: never) => unknown;
  /**
   * The key the action reads the value under, so the options can go to the SDK as they
   * are (e.g. `--vcpus` → `vcpuCount`). Default: the flag in camelCase.
   */
  readonly key?: string;
}

/** What a command shows in human mode: stdout data, then raw stderr bytes, then lines. */
export interface Rendering {
  /** Data for stdout, written unchanged (a table, an id, remote output, file bytes). */
  readonly data?: string | Uint8Array;
  /** Bytes for stderr, written unchanged (a run's remote stderr). */
  readonly stderr?: Uint8Array;
  /** Lines for stderr (messages, hints), with every known secret scrubbed. */
  readonly messages?: readonly string[];
}

/** The styles of the two streams, as the framework decided them (colour or plain). */
export interface RenderStyles {
  /** Styles for stdout. */
  readonly out: Styles;
  /** Styles for stderr. */
  readonly err: Styles;
}

/** What an action receives: the arguments and flags, parsed and keyed as declared. */
export interface CommandInput<Args, Options> {
  /** The positional arguments by name. */
  readonly args: Args;
  /** The flags that were given (absent ones are left out), by their `key`. */
  readonly options: Options;
}

/**
 * A command declared once: its arguments and flags, an action that returns plain data,
 * and how that data looks to people. The framework prints `json(result)` under `--json`
 * and `render(result)` otherwise — commands never branch on the output mode.
 */
export interface CommandSpec<Args, Options, Result> {
  /** The word after its parent (`ls`, `create`). */
  readonly name: string;
  /** Runs when the group is given no subcommand (`arker dev` is `arker dev start`). */
  readonly isDefault?: boolean;
  /** The one-line description in `--help`. */
  readonly summary: string;
  /** The example command lines shown under `--help` (without the `$ `). */
  readonly examples: readonly string[];
  /** A paragraph shown after the examples. */
  readonly notes?: string;
  /** The positional arguments, in order. */
  readonly arguments?: readonly ArgumentSpec[];
  /** The flags. */
  readonly options?: readonly OptionSpec[];
  /** Does the work and returns its result; never prints it. */
  action(input: CommandInput<Args, Options>, context: CommandContext): Promise<Result>;
  /**
   * The `--json` document of a result. Default: the result itself. `scrub` removes every
   * known secret from a message copied into the document (data stays as it is).
   */
  json?(result: Result, scrub: (text: string) => string): unknown;
  /** The human view of a result. */
  render(result: Result, styles: RenderStyles): Rendering;
  /** The exit code of a result (a run's remote code, a failed delete). Default 0. */
  exitCode?(result: Result): number;
  /**
   * Runs after the result was printed, and also when printing failed (`printed` false),
   * so it can release what the action holds (`arker dev` waits here, then closes).
   */
  finish?(result: Result, context: CommandContext, printed: boolean): Promise<void>;
}

/** A command as the framework stores it, its types erased. */
export interface CommandDefinition {
  /** Tells commands from groups. */
  readonly kind: "command";
  /** The declaration. */
  readonly spec: CommandSpec<unknown, unknown, unknown>;
}

/** A command word that only groups subcommands (`runs`, `fs`, `config`). */
export interface GroupDefinition {
  /** Tells groups from commands. */
  readonly kind: "group";
  /** The command word. */
  readonly name: string;
  /** Other words that run the group too (`syncs` for `mounts`). */
  readonly aliases?: readonly string[];
  /** The one-line description in `--help`. */
  readonly summary: string;
  /** The example command lines shown under `--help` (without the `$ `). */
  readonly examples: readonly string[];
  /** A paragraph shown after the examples. */
  readonly notes?: string;
  /** The subcommands. */
  readonly commands: readonly CommandDefinition[];
}

/** A command or a group. */
export type Definition = CommandDefinition | GroupDefinition;

/** Declares a command; see {@link CommandSpec}. */
export function defineCommand<Args, Options, Result>(
  spec: CommandSpec<Args, Options, Result>,
): CommandDefinition {
  return { kind: "command", spec: spec as unknown as CommandSpec<unknown, unknown, unknown> };
}

/** Declares a group of subcommands. */
export function defineGroup(group: Omit<GroupDefinition, "kind">): GroupDefinition {
  return { kind: "group", ...group };
}

/** The `--help` text after the options: the examples, then the notes. */
export function helpAfter(examples: readonly string[], notes?: string): string {
  const lines = examples.map((example) => `  $ ${example}`).join("\n");
  return `\nExamples:\n${lines}${notes === undefined ? "" : `\n\n${notes}`}`;
}
