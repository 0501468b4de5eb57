/**
 * Hints printed under commander's own usage message, for mistakes whose message alone
 * does not say what to type instead.
 *
 * @module
 */

/** Global options that take a value: their value is not a command word. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["--api-key", "--region", "--provider", "--base-url"]);

/** Subcommands of `arker mounts` (alias `syncs`), which people try under `arker sync`. */
const MOUNT_SUBCOMMANDS = new Set(["ls", "create", "get", "rm"]);

/**
 * A hint for a usage error (commander's `error.code`), or `null`:
 * - `arker run $VM python3 -c …` fails on `-c`, a flag of the remote command, which
 *   belongs after `--`;
 * - `arker sync create …` (or `ls`, `get`, `rm`) means a mount, which is `arker mounts …`
 *   (the API calls a mount a sync; `arker sync` reads or writes one file).
 */
export function usageHint(code: string, argv: readonly string[]): string | null {
  const words = commandWords(argv);
  if (code === "commander.unknownOption" && words[0] === "run" && !argv.includes("--")) {
    return "hint: the remote command's own flags go after --, as in: arker run <vm> -- python3 -c 'print(1)'";
  }
  const subcommand = words[1];
  if (words[0] === "sync" && subcommand !== undefined && MOUNT_SUBCOMMANDS.has(subcommand)) {
    return `hint: arker sync reads or writes one file; mounts (the API's syncs) are arker mounts ${subcommand} …, as in: arker mounts create <vm> <filesystem> <path>`;
  }
  return null;
}

/** The words of a command line that are not flags nor a global flag's value. */
function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(word)) index++;
    else if (!word.startsWith("-")) words.push(word);
  }
  return words;
}
