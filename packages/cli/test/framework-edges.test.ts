import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { CommandContext } from "../src/framework/context";
import { defineCommand, defineGroup, helpAfter } from "../src/framework/define-command";
import { defineList } from "../src/framework/list-pages";
import { registerDefinitions } from "../src/framework/register";
import { runRootDocument } from "../src/framework/root-invocation";
import type { CliIo } from "../src/support/cli-io";

/** A context over in-memory streams, with `env` as its environment. */
function contextWith(env: Record<string, string> = {}, tty = false) {
  const err: string[] = [];
  const sink = (lines: string[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
  const io: CliIo = {
    stdout: sink([]),
    stderr: sink(err),
    stdin: (async function* () {})(),
    env,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
  };
  return { context: new CommandContext(io), err };
}

describe("CommandContext", () => {
  it("starts with no command line and no secrets, and refuses the program before it is attached", () => {
    const { context } = contextWith();
    expect(context.argv).toEqual([]);
    expect(context.secrets()).toEqual([]);
    expect(() => context.program).toThrow("the root command is not attached yet");
  });

  it("keeps secrets of 4 characters or more (trimmed) as secrets", () => {
    expect(contextWith({ ARKER_API_KEY: "abcd" }).context.secrets()).toEqual(["abcd"]);
    expect(contextWith({ ARKER_API_KEY: "abc" }).context.secrets()).toEqual([]);
    expect(contextWith({ ARKER_API_KEY: "  ab  " }).context.secrets()).toEqual([]);
  });

  it("--no-color turns colour off on a terminal", async () => {
    const { context } = contextWith({}, true);
    const program = new Command("arker").option("--no-color").option("--json");
    context.attach(program);
    await program.parseAsync(["--no-color"], { from: "user" });
    expect(context.output.out.red("x")).toBe("x");
    const coloured = contextWith({}, true).context;
    coloured.attach(new Command("arker").option("--no-color"));
    expect(coloured.output.out.red("x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("reads the config file once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arker-cli-context-"));
    await writeFile(join(dir, "config.json"), '{"region": "first"}');
    const { context } = contextWith({ ARKER_CONFIG_DIR: dir });
    expect(await context.configFile()).toEqual({ region: "first" });
    await writeFile(join(dir, "config.json"), '{"region": "second"}');
    expect(await context.configFile()).toEqual({ region: "first" });
  });

  it("prints each warning once", async () => {
    const { context, err } = contextWith();
    await context.warn("careful");
    await context.warn("careful");
    expect(err.join("")).toBe("arker: warning: careful\n");
  });

  it("close closes every client it made", async () => {
    const { context } = contextWith({
      ARKER_API_KEY: "ark_test_0123456789abcdef",
      ARKER_BASE_URL: "http://127.0.0.1:9",
    });
    context.attach(new Command("arker"));
    const client = await context.arker();
    const closed = vi.spyOn(client, "close");
    await context.close();
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

describe("helpAfter", () => {
  it("lists the examples, then the notes after a blank line when there are any", () => {
    expect(helpAfter(["arker a", "arker b"])).toBe("\nExamples:\n  $ arker a\n  $ arker b");
    expect(helpAfter(["arker a"], "A note.")).toBe("\nExamples:\n  $ arker a\n\nA note.");
  });
});

describe("defineList", () => {
  it("describes --limit, --cursor and --all with the noun", () => {
    const list = defineList({
      summary: "list things",
      examples: [],
      noun: "things",
      key: "things",
      fetch: async () => ({ items: [], nextCursor: null, async *[Symbol.asyncIterator]() {} }),
      table: () => "",
    });
    expect(list.spec.options?.map((option) => [option.flags, option.description])).toEqual([
      ["--limit <n>", "things per page, 1-1000 (server default 50)"],
      ["--cursor <cursor>", "start at this page (the nextCursor of a previous --json page)"],
      ["--all", "follow every page and list all things"],
    ]);
  });
});

describe("registered commands", () => {
  function program(finished: boolean[], ran: string[]) {
    const { context } = contextWith();
    const root = new Command("arker").option("--json").exitOverride();
    context.attach(root);
    registerDefinitions(
      root,
      [
        defineGroup({
          name: "dev",
          summary: "a group",
          examples: [],
          commands: [
            defineCommand({
              name: "start",
              isDefault: true,
              summary: "the default",
              examples: [],
              action: async () => {
                ran.push("start");
                return null;
              },
              render: () => ({}),
            }),
            defineCommand({
              name: "broken",
              summary: "renders badly",
              examples: [],
              action: async () => null,
              render: () => {
                throw new Error("cannot render");
              },
              finish: async (_result, _context, printed) => {
                finished.push(printed);
              },
            }),
          ],
        }),
      ],
      context,
    );
    return root;
  }

  it("a default command runs when its group is named alone", async () => {
    const ran: string[] = [];
    await program([], ran).parseAsync(["dev"], { from: "user" });
    expect(ran).toEqual(["start"]);
  });

  it("finish hears that nothing was printed when rendering failed", async () => {
    const finished: boolean[] = [];
    await expect(
      program(finished, []).parseAsync(["dev", "broken"], { from: "user" }),
    ).rejects.toThrow("cannot render");
    expect(finished).toEqual([false]);
  });
});

describe("runRootDocument", () => {
  it("leaves --json --help to commander (help, not the document)", async () => {
    const root = new Command("arker").option("--json").helpOption("-h, --help");
    const stdout = new Writable({ write: (_chunk, _encoding, done) => done() });
    expect(await runRootDocument(["--json", "--help"], root, stdout)).toBeNull();
    expect(await runRootDocument(["--json"], root, stdout)).toBe(0);
  });
});
