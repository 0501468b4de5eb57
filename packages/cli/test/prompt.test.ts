import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/support/cli-io";
import { askLine } from "../src/support/prompt";

/** A stdin yielding `chunks`, recording the raw modes it is switched to (when it has raw mode). */
function stdinOf(chunks: ReadonlyArray<string | Uint8Array>, withRawMode = true) {
  const modes: boolean[] = [];
  const stream = {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
    ...(withRawMode ? { setRawMode: (mode: boolean) => modes.push(mode) } : {}),
  };
  return { stream, modes };
}

/** Asks `question` with `chunks` on stdin; returns the answer, stderr and the raw modes set. */
async function ask(
  chunks: ReadonlyArray<string | Uint8Array>,
  options: { hidden?: boolean; tty?: boolean; rawMode?: boolean } = {},
) {
  const { stream, modes } = stdinOf(chunks, options.rawMode ?? true);
  let stderr = "";
  const io: CliIo = {
    stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stderr: new Writable({
      write(chunk: Buffer, _encoding, done) {
        stderr += chunk.toString("utf8");
        done();
      },
    }),
    stdin: stream,
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: options.tty ?? false,
  };
  const answer = await askLine(io, "key? ", options.hidden === true ? { hidden: true } : {});
  return { answer, stderr, modes };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("askLine reading a line", () => {
  it("answers the first line, without its line end, from strings or bytes", async () => {
    expect((await ask(["first\nsecond\n"])).answer).toBe("first");
    expect((await ask(["a\nb"])).answer).toBe("a");
    expect((await ask([bytes("fi"), bytes("rst\r\nrest")])).answer).toBe("first");
    expect((await ask(["a\rb\r\n"])).answer).toBe("a\rb");
  });

  it("answers what came when stdin ends without a line end", async () => {
    expect(await ask(["yes\r"])).toMatchObject({ answer: "yes", stderr: "key? " });
    expect((await ask(["a\rb"])).answer).toBe("a\rb");
    expect(await ask(["yes\n"])).toMatchObject({ answer: "yes", stderr: "key? " });
  });

  it("answers null when stdin ends before any input, and finishes the question's line", async () => {
    const empty = await ask([]);
    expect(empty.answer).toBeNull();
    expect(empty.stderr).toBe("key? \n");
  });

  it("echoes (no raw mode) unless hidden was asked on a terminal that can hide", async () => {
    expect(await ask(["k\n"], { tty: true })).toMatchObject({ answer: "k", modes: [] });
    expect(await ask(["k\n"], { hidden: true })).toMatchObject({ answer: "k", modes: [] });
    expect(await ask(["k\n"], { hidden: true, tty: true, rawMode: false })).toMatchObject({
      answer: "k",
      modes: [],
    });
  });
});

describe("askLine hidden, on a terminal", () => {
  const hidden = (chunks: ReadonlyArray<string | Uint8Array>) =>
    ask(chunks, { hidden: true, tty: true });

  it("switches raw mode on then off, and ends the question's line", async () => {
    expect(await hidden(["ark_secret\r"])).toEqual({
      answer: "ark_secret",
      stderr: "key? \n",
      modes: [true, false],
    });
  });

  it("ends the answer at a carriage return or a newline, from strings or bytes", async () => {
    expect((await hidden(["ab\rcd\r"])).answer).toBe("ab");
    expect((await hidden(["ab\ncd\r"])).answer).toBe("ab");
    expect((await hidden([bytes("a"), bytes("b\r")])).answer).toBe("ab");
  });

  it("backspace and delete remove the last character", async () => {
    expect((await hidden(["ab\u007fc\bd\r"])).answer).toBe("ad");
  });

  it("Ctrl-C or Ctrl-D give up without an answer", async () => {
    expect((await hidden(["ab\u0003cd\r"])).answer).toBeNull();
    expect((await hidden(["ab\u0004cd\r"])).answer).toBeNull();
  });

  it("stdin ending answers what was typed, or null when nothing was", async () => {
    expect((await hidden(["ab"])).answer).toBe("ab");
    const nothing = await hidden([]);
    expect(nothing.answer).toBeNull();
    expect(nothing.modes).toEqual([true, false]);
  });
});
