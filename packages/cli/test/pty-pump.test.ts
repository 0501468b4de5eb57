import { Writable } from "node:stream";
import type { Pty } from "@arker-ai/vm";
import { describe, expect, it } from "vitest";
import type { CliIo, TerminalControl } from "../src/support/cli-io";
import { attachTerminal } from "../src/support/pty-pump";

const text = (bytes: Uint8Array | string) =>
  typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8");

/** Lets pending promise callbacks and I/O callbacks run. */
const ticks = async (count = 20) => {
  for (let index = 0; index < count; index++) await new Promise((done) => setImmediate(done));
};

/** A remote terminal printing `chunks`, then staying open until `finish()`; it records what it is sent. */
function fakePty(chunks: ReadonlyArray<string>, exitCode = 3) {
  const sent: string[] = [];
  const resizes: Array<[number, number]> = [];
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let closed = false;
  const pty = {
    exited: finished.then(() => ({ exitCode })),
    write: (data: string | Uint8Array) =>
      sent.push(`${data instanceof Uint8Array ? "bytes:" : ""}${text(data)}`),
    resize: (cols: number, rows: number) => resizes.push([cols, rows]),
    close: () => {
      closed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
      await finished;
    },
  };
  return { pty: pty as unknown as Pty, sent, resizes, finish, isClosed: () => closed };
}

/** An io with `stdin` as given, recording stdout and the order things are undone in. */
function ioWith(stdin: AsyncIterable<string | Uint8Array>, extra: Partial<CliIo> = {}) {
  let stdout = "";
  const io: CliIo = {
    stdout: new Writable({
      write(chunk: Buffer, _encoding, done) {
        stdout += chunk.toString("latin1");
        done();
      },
    }),
    stderr: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stdin,
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...extra,
  };
  return { io, stdout: () => stdout };
}

async function* chunksOf(...chunks: Array<string | Uint8Array>) {
  for (const chunk of chunks) yield chunk;
}

describe("attachTerminal's output", () => {
  it("with plain newlines turns \\r\\n into \\n, also split across chunks, and keeps a lone \\r", async () => {
    const { pty, finish } = fakePty(["a\r\nb", "c\r", "\nd\r", "e", "x\ry"]);
    const { io, stdout } = ioWith(chunksOf());
    const done = attachTerminal(io, pty, { input: false, plainNewlines: true });
    await ticks();
    finish();
    expect(await done).toBe(3);
    expect(stdout()).toBe("a\nbc\nd\rex\ry");
  });

  it("passes the bytes untouched otherwise", async () => {
    const { pty, finish } = fakePty(["a\r\nb\r"]);
    const { io, stdout } = ioWith(chunksOf());
    const done = attachTerminal(io, pty, { input: false, plainNewlines: false });
    await ticks();
    finish();
    await done;
    expect(stdout()).toBe("a\r\nb\r");
  });
});

describe("attachTerminal's input", () => {
  it("piped stdin goes through as it is, then Ctrl-D", async () => {
    const { pty, sent, finish, isClosed } = fakePty([]);
    const { io } = ioWith(chunksOf("ls\n", new TextEncoder().encode("pwd\n")));
    const done = attachTerminal(io, pty, { input: true, plainNewlines: false });
    await ticks();
    finish();
    await done;
    expect(sent).toEqual(["ls\n", "bytes:pwd\n", "\u0004"]);
    expect(isClosed()).toBe(true);
  });

  it("output only (input false) reads nothing from stdin", async () => {
    const { pty, sent, finish } = fakePty([]);
    const { io } = ioWith(chunksOf("ls\n"));
    const done = attachTerminal(io, pty, { input: false, plainNewlines: false });
    await ticks();
    finish();
    await done;
    expect(sent).toEqual([]);
  });

  it("a key read after the terminal ended is not sent, and stdin is let go", async () => {
    let release = () => {};
    let destroyed = 0;
    let reads = 0;
    const stdin = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          reads += 1;
          if (reads === 1) return { done: false, value: "a" };
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { done: false, value: "late" };
        },
        return: async () => ({ done: true, value: undefined }),
      }),
      destroy: () => {
        destroyed += 1;
      },
    } as AsyncIterable<string>;
    const { pty, sent, finish } = fakePty([]);
    const { io } = ioWith(stdin);
    const done = attachTerminal(io, pty, { input: true, plainNewlines: false });
    await ticks();
    finish();
    await done;
    release();
    await ticks();
    expect(sent).toEqual(["a"]);
    expect(destroyed).toBe(1);
  });
});

describe("attachTerminal on a local terminal", () => {
  it("raw mode for the session, resizes sent on, no Ctrl-D at stdin's end, undone in reverse order", async () => {
    const events: string[] = [];
    let resize = () => {};
    const terminal: TerminalControl = {
      setRawMode: (raw) => events.push(`raw ${raw}`),
      size: () => ({ cols: 100, rows: 30 }),
      onResize: (listener) => {
        resize = listener;
        return () => events.push("resize off");
      },
    };
    const stdin = Object.assign(chunksOf("q"), { destroy: () => events.push("stdin off") });
    const { pty, sent, resizes, finish } = fakePty([]);
    const { io } = ioWith(stdin, { terminal });
    const done = attachTerminal(io, pty, { input: true, plainNewlines: false });
    await ticks();
    resize();
    finish();
    await done;
    expect(sent).toEqual(["q"]);
    expect(resizes).toEqual([[100, 30]]);
    expect(events).toEqual(["raw true", "stdin off", "resize off", "raw false"]);
  });
});

describe("attachTerminal and the process's interrupt", () => {
  it("sends Ctrl-C on while attached, and stops listening when done", async () => {
    const controller = new AbortController();
    const { pty, sent, finish } = fakePty([]);
    const { io } = ioWith(chunksOf(), { signal: controller.signal });
    const done = attachTerminal(io, pty, { input: false, plainNewlines: false });
    await ticks();
    controller.abort();
    finish();
    await done;
    expect(sent).toEqual(["\u0003"]);

    const later = new AbortController();
    const second = fakePty([]);
    const attached = attachTerminal(ioWith(chunksOf(), { signal: later.signal }).io, second.pty, {
      input: false,
      plainNewlines: false,
    });
    second.finish();
    await attached;
    later.abort();
    expect(second.sent).toEqual([]);
  });

  it("a Ctrl-C the closed terminal refuses is ignored", async () => {
    const controller = new AbortController();
    const { pty, finish } = fakePty([], 130);
    (pty as unknown as { write: () => void }).write = () => {
      throw new Error("closed");
    };
    const done = attachTerminal(ioWith(chunksOf(), { signal: controller.signal }).io, pty, {
      input: false,
      plainNewlines: false,
    });
    await ticks();
    expect(() => controller.abort()).not.toThrow();
    finish();
    expect(await done).toBe(130);
  });
});
