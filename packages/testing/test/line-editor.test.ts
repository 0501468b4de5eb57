import { describe, expect, it } from "vitest";
import { type EditorEvent, LineEditor } from "../src/terminal/line-editor.js";

const ERASE = "\b \b";

/** Feeds `text` to `editor`; returns what it echoed (joined) and its events. */
function feed(editor: LineEditor, text: string): { echo: string; events: EditorEvent[] } {
  let echo = "";
  const events = editor.feed(text, (output) => {
    echo += output;
  });
  return { echo, events };
}

describe("LineEditor", () => {
  it("echoes printable keys and a tab, and submits the line on Enter", () => {
    const editor = new LineEditor();
    expect(feed(editor, "ls\t-l")).toEqual({ echo: "ls\t-l", events: [] });
    expect(editor.line).toBe("ls\t-l");
    expect(feed(editor, "\r")).toEqual({
      echo: "\r\n",
      events: [{ type: "line", line: "ls\t-l" }],
    });
    expect(editor.line).toBe("");
  });

  it("takes CR LF as one Enter, but CR CR, LF LF and CR x LF as two", () => {
    const lines = (text: string) => feed(new LineEditor(), text).events;
    expect(lines("a\r\nb\r\n")).toEqual([
      { type: "line", line: "a" },
      { type: "line", line: "b" },
    ]);
    expect(lines("\r\r")).toEqual([
      { type: "line", line: "" },
      { type: "line", line: "" },
    ]);
    expect(lines("\n\n")).toEqual([
      { type: "line", line: "" },
      { type: "line", line: "" },
    ]);
    expect(lines("\rx\n")).toEqual([
      { type: "line", line: "" },
      { type: "line", line: "x" },
    ]);
    // A CR at the end of one chunk and the LF at the start of the next are one Enter.
    const editor = new LineEditor();
    expect(feed(editor, "c\r").events).toEqual([{ type: "line", line: "c" }]);
    expect(feed(editor, "\nd\r")).toEqual({ echo: "d\r\n", events: [{ type: "line", line: "d" }] });
  });

  it("erases one character with DEL or Backspace, and nothing on an empty line", () => {
    const editor = new LineEditor();
    expect(feed(editor, "abc\u007f").echo).toBe(`abc${ERASE}`);
    expect(feed(editor, "\b").echo).toBe(ERASE);
    expect(editor.line).toBe("a");
    expect(feed(editor, "\b\b\u007f").echo).toBe(ERASE);
    expect(editor.line).toBe("");
  });

  it("erases the line with Ctrl-U, one erase per character", () => {
    const editor = new LineEditor();
    feed(editor, "abc");
    expect(feed(editor, "\u0015")).toEqual({ echo: ERASE.repeat(3), events: [] });
    expect(editor.line).toBe("");
    expect(feed(editor, "\u0015").echo).toBe("");
    // The whole line, not just its last word.
    feed(editor, "echo one");
    expect(feed(editor, "\u0015").echo).toBe(ERASE.repeat(8));
    expect(editor.line).toBe("");
  });

  it("erases the last word and the spaces after it with Ctrl-W", () => {
    const editor = new LineEditor();
    feed(editor, "echo one two  ");
    expect(feed(editor, "\u0017").echo).toBe(ERASE.repeat(5));
    expect(editor.line).toBe("echo one ");
    expect(feed(editor, "\u0017").echo).toBe(ERASE.repeat(4));
    expect(editor.line).toBe("echo ");
    feed(editor, "\u0017\u0017");
    expect(editor.line).toBe("");
  });

  it("reports Ctrl-C as an interrupt after echoing ^C, and forgets the line", () => {
    const editor = new LineEditor();
    expect(feed(editor, "sleep\u0003")).toEqual({
      echo: "sleep^C\r\n",
      events: [{ type: "interrupt" }],
    });
    expect(editor.line).toBe("");
  });

  it("reports Ctrl-D as end of input only on an empty line", () => {
    const editor = new LineEditor();
    expect(feed(editor, "ab\u0004")).toEqual({ echo: "ab", events: [] });
    expect(editor.line).toBe("ab");
    editor.reset();
    expect(editor.line).toBe("");
    expect(feed(editor, "\u0004")).toEqual({ echo: "", events: [{ type: "eof" }] });
  });

  it("reports Ctrl-L as clear, echoing nothing and keeping the line", () => {
    const editor = new LineEditor();
    expect(feed(editor, "ab\u000c")).toEqual({ echo: "ab", events: [{ type: "clear" }] });
    expect(editor.line).toBe("ab");
  });

  it("ignores other control characters", () => {
    const editor = new LineEditor();
    expect(feed(editor, "a\u0001\u0002\u001fb")).toEqual({ echo: "ab", events: [] });
    expect(editor.line).toBe("ab");
  });

  it("swallows escape sequences: CSI up to its final byte, SS3, and ESC with one key", () => {
    const editor = new LineEditor();
    // Arrow up, Ctrl-Right (parameters then the final `C`), F1 (SS3 `P`), Alt-x.
    expect(feed(editor, "a\u001b[A\u001b[1;5Cb\u001bOPc\u001bxd")).toEqual({
      echo: "abcd",
      events: [],
    });
    expect(editor.line).toBe("abcd");
    // A CSI final byte at either end of @–~ ends the sequence; `?` (below @) and DEL or
    // `é` (above ~) do not.
    expect(feed(editor, "\u001b[?@e\u001b[~f").echo).toBe("ef");
    expect(feed(editor, "\u001b[\u007fAg\u001b[\u00e9Bh").echo).toBe("gh");
    // A CR followed by an escape sequence does not pair with a later LF.
    expect(feed(editor, "\r\u001bx\n").events).toEqual([
      { type: "line", line: "abcdefgh" },
      { type: "line", line: "" },
    ]);
  });
});
