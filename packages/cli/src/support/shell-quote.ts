const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell: safe words stay as they are, anything else
 * goes in single quotes (an embedded `'` becomes `'\''`), the empty string becomes `''`.
 *
 * @example quoteShellArgument("exit 3") // "'exit 3'"
 */
export function quoteShellArgument(argument: string): string {
  if (argument === "") return "''";
  if (SAFE_WORD.test(argument)) return argument;
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/**
 * Turns the words after `--` into the one command string the API runs in a shell.
 * Several words are each quoted, so the remote program gets exactly this argv
 * (`sh -c 'exit 3'` stays three words). A single word is sent as written, so
 * `arker run vm -- 'ls | wc -l'` uses the remote shell, as `ssh host 'cmd'` does.
 */
export function joinCommand(words: readonly string[]): string {
  if (words.length === 1) return words[0] as string;
  return words.map(quoteShellArgument).join(" ");
}
