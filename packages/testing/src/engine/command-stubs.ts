/**
 * Command stubs: `fake.commands.on(matcher, handler)` answers a run's command without
 * the shell. Matchers see the whole command string of the run.
 *
 * @module
 */

/** A read-only view of a VM's files, handed to stub handlers. */
export interface FileView {
  /** The bytes of a file, or `undefined` if there is no file at `path`. */
  read(path: string): Uint8Array | undefined;
  /** Whether anything exists at `path`. */
  exists(path: string): boolean;
  /** The entry names of a directory, or `undefined` if `path` is not a directory. */
  list(directory: string): string[] | undefined;
}

/** What a stub handler receives. */
export interface CommandContext {
  /** The run's whole command string. */
  command: string;
  /** The command split into words (shell-like quoting, no expansion). */
  argv: string[];
  /** Standard input (runs have none, so this is empty). */
  stdin: string;
  /** The environment the command would run with. */
  env: Record<string, string>;
  /** The working directory the command would run in. */
  cwd: string;
  /** The VM's id. */
  vmId: string;
  /** The VM's files (read-only). */
  files: FileView;
}

/** What a stub handler returns. */
export interface CommandResult {
  /** Standard output; strings are UTF-8. */
  stdout?: string | Uint8Array;
  /** Standard error; strings are UTF-8. */
  stderr?: string | Uint8Array;
  /** Exit code; default 0. */
  exitCode?: number;
  /** How long the command takes in fake time, in ms; default 0. */
  durationMs?: number;
}

/** A stub handler: returns a result (or a promise of one) or throws to fail the run. */
export type CommandHandler = (context: CommandContext) => CommandResult | Promise<CommandResult>;

/** Which commands a stub answers: exact string, RegExp, or predicate over the command. */
export type CommandMatcher =
  | string
  | RegExp
  | ((command: string, context: CommandContext) => boolean);

/** The `fake.commands` control. */
export interface CommandControls {
  /** Registers a stub (the newest matching stub wins); returns an unsubscribe function. */
  on(matcher: CommandMatcher, handler: CommandHandler): () => void;
  /** Removes every stub. */
  clear(): void;
}

interface Stub {
  matcher: CommandMatcher;
  handler: CommandHandler;
}

/** The stub registry. */
export class CommandStubs implements CommandControls {
  #stubs: Stub[] = [];

  on(matcher: CommandMatcher, handler: CommandHandler): () => void {
    if (
      typeof matcher !== "string" &&
      !(matcher instanceof RegExp) &&
      typeof matcher !== "function"
    ) {
      throw new TypeError("commands.on: matcher must be a string, a RegExp or a function");
    }
    if (typeof handler !== "function")
      throw new TypeError("commands.on: handler must be a function");
    const stub: Stub = { matcher, handler };
    this.#stubs.push(stub);
    return () => {
      this.#stubs = this.#stubs.filter((candidate) => candidate !== stub);
    };
  }

  clear(): void {
    this.#stubs = [];
  }

  /** Whether no stub is registered (fast path). */
  get empty(): boolean {
    return this.#stubs.length === 0;
  }

  /** The newest stub matching the context's command. */
  find(context: CommandContext): CommandHandler | undefined {
    for (let index = this.#stubs.length - 1; index >= 0; index--) {
      const stub = this.#stubs[index]!;
      const { matcher } = stub;
      if (typeof matcher === "string") {
        if (matcher === context.command.trim()) return stub.handler;
      } else if (matcher instanceof RegExp) {
        matcher.lastIndex = 0;
        if (matcher.test(context.command)) return stub.handler;
      } else if (matcher(context.command, context)) {
        return stub.handler;
      }
    }
    return undefined;
  }
}

/** Splits a command into words with simple shell quoting (no expansion). */
export function splitArgv(command: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < command.length; index++) {
    const char = command[index]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && index + 1 < command.length)
        current += command[++index]!;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && index + 1 < command.length) {
      current += command[++index]!;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
