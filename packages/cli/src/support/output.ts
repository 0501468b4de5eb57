import { stripVTControlCharacters, styleText } from "node:util";
import { type CliIo, writeAll } from "./cli-io";
import { scrubSecrets } from "./scrub";

/** Text styles (through `node:util` `styleText`); each is the identity when colour is off. */
export interface Styles {
  /** Headers and keys. */
  bold(text: string): string;
  /** Hints and idle states. */
  dim(text: string): string;
  /** Errors and failed runs. */
  red(text: string): string;
  /** Running VMs and completed runs. */
  green(text: string): string;
  /** Running runs. */
  yellow(text: string): string;
  /** Ids. */
  cyan(text: string): string;
}

const PLAIN: Styles = {
  bold: (text) => text,
  dim: (text) => text,
  red: (text) => text,
  green: (text) => text,
  yellow: (text) => text,
  cyan: (text) => text,
};

/** The formats the CLI uses, as `util.inspect.colors` names them. */
type Format = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

/**
 * `styleText` of `node:util`. From Node 22.13 it also checks `process.stdout` itself
 * unless told not to; the CLI has already decided per stream (see {@link useColour}),
 * and Node 20's types do not know the option yet.
 */
const styleOnly = styleText as (
  format: Format,
  text: string,
  options?: { validateStream?: boolean },
) => string;

const style = (format: Format) => (text: string) =>
  text === "" ? text : styleOnly(format, text, { validateStream: false });

const COLOURED: Styles = {
  bold: style("bold"),
  dim: style("dim"),
  red: style("red"),
  green: style("green"),
  yellow: style("yellow"),
  cyan: style("cyan"),
};

/**
 * Whether to colour a stream, as Node decides for its own output: `--no-color` never;
 * else `FORCE_COLOR` (force-color.org) set to `0` or `false` never, to anything else
 * always (also when piped, e.g. in CI logs); else `NO_COLOR` (no-color.org) set to
 * anything non-empty never; else only on a terminal.
 */
export function useColour(
  isTTY: boolean,
  env: Record<string, string | undefined>,
  flag: boolean,
): boolean {
  if (!flag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** The styles for a stream. */
export function stylesFor(colour: boolean): Styles {
  return colour ? COLOURED : PLAIN;
}

/** Removes ANSI escape sequences (for width computations). */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** One column of a table. */
export interface Column<Row> {
  /** The header, printed upper-case. */
  header: string;
  /** The cell text for a row; `null`/`undefined` print as `-`. */
  value(row: Row): string | number | boolean | null | undefined;
  /** Right-align (numbers). Default left. */
  align?: "left" | "right";
  /** Colours the padded cell (the width is computed on the plain text). */
  style?(text: string, row: Row): string;
}

/**
 * Lays out rows as aligned columns separated by two spaces, with a header line.
 * Trailing spaces are trimmed. Widths count code points, which is right for the ids,
 * names and numbers the CLI shows.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  styles: Styles = PLAIN,
): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(
      column.header.length,
      ...cells.map((line) => [...stripAnsi(line[index] ?? "")].length),
    ),
  );
  const pad = (text: string, index: number, align: "left" | "right" | undefined) => {
    const width = widths[index] ?? 0;
    const fill = " ".repeat(Math.max(0, width - [...stripAnsi(text)].length));
    return align === "right" ? fill + text : text + fill;
  };
  const lines: string[] = [];
  lines.push(
    columns
      .map((column, index) => styles.bold(pad(column.header.toUpperCase(), index, column.align)))
      .join("  ")
      .trimEnd(),
  );
  cells.forEach((line, rowIndex) => {
    const row = rows[rowIndex] as Row;
    lines.push(
      columns
        .map((column, index) => {
          const padded = pad(line[index] ?? "", index, column.align);
          return column.style ? column.style(padded, row) : padded;
        })
        .join("  ")
        .trimEnd(),
    );
  });
  return `${lines.join("\n")}\n`;
}

/** Lays out `key  value` pairs with the keys aligned; `null` values print as `-`. */
export function formatKeyValues(
  pairs: ReadonlyArray<readonly [string, string | number | boolean | null | undefined]>,
  styles: Styles = PLAIN,
): string {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs
    .map(([key, value]) => `${styles.bold(key.padEnd(width))}  ${cellText(value)}`.trimEnd())
    .map((line) => `${line}\n`)
    .join("");
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  return String(value);
}

/**
 * Everything a command prints goes through here: data on stdout (a table, ids, or one
 * JSON document with `--json`), messages on stderr.
 */
export class Output {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Styles for stdout. */
  readonly out: Styles;
  /** Styles for stderr. */
  readonly err: Styles;
  readonly #io: CliIo;
  readonly #secrets: () => readonly string[];

  /**
   * @param secrets returns the strings to scrub from every message line (the API key);
   *   data (remote output, file bytes) is never altered.
   */
  constructor(io: CliIo, options: { json: boolean; colour: boolean }, secrets: () => string[]) {
    this.#io = io;
    this.json = options.json;
    this.out = stylesFor(useColour(io.stdoutIsTTY, io.env, options.colour) && !options.json);
    this.err = stylesFor(useColour(io.stderrIsTTY, io.env, options.colour));
    this.#secrets = secrets;
  }

  /** Writes raw data (text or bytes) to stdout unchanged. */
  data(chunk: Uint8Array | string): Promise<void> {
    return writeAll(this.#io.stdout, chunk);
  }

  /** Writes one JSON document (two-space indent, trailing newline) to stdout. */
  document(value: unknown): Promise<void> {
    return writeAll(this.#io.stdout, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a line of text to stderr, with secrets scrubbed. */
  message(line: string): Promise<void> {
    return writeAll(this.#io.stderr, `${this.scrub(line)}\n`);
  }

  /** Removes every configured secret, and anything shaped like an API key, from `text`. */
  scrub(text: string): string {
    return scrubSecrets(text, this.#secrets());
  }
}
