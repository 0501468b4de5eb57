/**
 * What a run started from a terminal talks to: where its output goes as it comes, the
 * terminal's size (what `stty size`, `tput`, `$COLUMNS` and `$LINES` report), and who
 * hears when it ends.
 *
 * @module
 */

/** A terminal's size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The terminal side of a run started from a terminal. */
export interface TerminalIo {
  /** Output of the command (stdout and stderr together, as on a terminal), as it comes. */
  write(bytes: Uint8Array): void;
  /** The exit status of the terminal's previous command: the command's `$?` at its start. */
  readonly status: number;
  /** The terminal's current size. */
  size(): TerminalSize;
  /**
   * The run has ended (completed, failed, cancelled) with this exit code;
   * `shellExited`: its line ran `exit`, so the shell ends too.
   */
  ended(exitCode: number, shellExited: boolean): void;
}
