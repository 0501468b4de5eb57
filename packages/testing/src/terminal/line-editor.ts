/**
 * The line discipline of a fake terminal (cooked mode, as a shell's line editor sees
 * it): printable input is echoed and collected; Enter submits the line; Backspace,
 * Ctrl-U and Ctrl-W erase a character, the line or a word; Ctrl-C, Ctrl-D and Ctrl-L are
 * reported to the terminal; escape sequences (arrows, function keys) are swallowed.
 *
 * @module
 */

/** What a key did, besides what it echoed. */
export type EditorEvent =
  | { type: "line"; line: string }
  | { type: "interrupt" }
  | { type: "eof" }
  | { type: "clear" };

const ERASE = "\b \b";

/** A line being typed. */
export class LineEditor {
  #line: string[] = [];
  #escape: "none" | "esc" | "csi" = "none";
  #afterCr = false;

  /** The line typed so far (not yet submitted). */
  get line(): string {
    return this.#line.join("");
  }

  /** Forgets the line typed so far. */
  reset(): void {
    this.#line = [];
  }

  /** Feeds typed text; returns what to echo and the events, in order. */
  feed(text: string, echo: (output: string) => void): EditorEvent[] {
    const events: EditorEvent[] = [];
    for (const char of text) {
      const afterCr = this.#afterCr;
      this.#afterCr = false;
      if (this.#escape !== "none") {
        this.#skipEscape(char);
        continue;
      }
      const code = char.codePointAt(0) ?? 0;
      switch (code) {
        case 0x0d:
        case 0x0a: {
          this.#afterCr = code === 0x0d;
          if (code === 0x0a && afterCr) break;
          echo("\r\n");
          events.push({ type: "line", line: this.line });
          this.#line = [];
          break;
        }
        case 0x7f:
        case 0x08:
          if (this.#line.pop() !== undefined) echo(ERASE);
          break;
        case 0x15:
          echo(ERASE.repeat(this.#line.length));
          this.#line = [];
          break;
        case 0x17:
          this.#eraseWord(echo);
          break;
        case 0x03:
          echo("^C\r\n");
          this.#line = [];
          events.push({ type: "interrupt" });
          break;
        case 0x04:
          if (this.#line.length === 0) events.push({ type: "eof" });
          break;
        case 0x0c:
          events.push({ type: "clear" });
          break;
        case 0x1b:
          this.#escape = "esc";
          break;
        default:
          if (code < 0x20 && code !== 0x09) break;
          this.#line.push(char);
          echo(char);
      }
    }
    return events;
  }

  #skipEscape(char: string): void {
    if (this.#escape === "esc") {
      this.#escape = char === "[" || char === "O" ? "csi" : "none";
      return;
    }
    // A CSI sequence ends with a byte in @–~.
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x40 && code <= 0x7e) this.#escape = "none";
  }

  #eraseWord(echo: (output: string) => void): void {
    let erased = 0;
    while (this.#line.length > 0 && this.#line[this.#line.length - 1] === " ") {
      this.#line.pop();
      erased++;
    }
    while (this.#line.length > 0 && this.#line[this.#line.length - 1] !== " ") {
      this.#line.pop();
      erased++;
    }
    echo(ERASE.repeat(erased));
  }
}
