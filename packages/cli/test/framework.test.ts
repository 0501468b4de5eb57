import { Writable } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { CommandContext } from "../src/framework/context";
import { defineCommand } from "../src/framework/define-command";
import { registerDefinitions } from "../src/framework/register";
import type { CliIo } from "../src/support/cli-io";
import { integerOption } from "../src/support/parse-arguments";

/** A root command with `--json`, one declared command, and in-memory streams. */
function harness(finished: boolean[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (lines: string[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
  const io: CliIo = {
    stdout: sink(out),
    stderr: sink(err),
    stdin: (async function* () {})(),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  const context = new CommandContext(io);
  const program = new Command("arker").option("--json").exitOverride();
  context.attach(program);
  const seen: unknown[] = [];
  registerDefinitions(
    program,
    [
      defineCommand({
        name: "make",
        summary: "make a thing",
        examples: ["arker make box --size 3"],
        arguments: [{ name: "kind", description: "what" }],
        options: [
          {
            flags: "--size <n>",
            description: "size",
            parse: integerOption("--size"),
            key: "sizeUnits",
          },
          { flags: "--shiny", description: "shine" },
        ],
        action: async (input: { args: { kind: string }; options: { sizeUnits?: number } }) => {
          seen.push(input);
          return { kind: input.args.kind, size: input.options.sizeUnits ?? 1 };
        },
        json: (made) => ({ made }),
        render: (made) => ({ data: `${made.kind}:${made.size}\n`, messages: ["made it"] }),
        exitCode: (made) => (made.size > 5 ? 3 : 0),
        finish: async (_made, _context, printed) => {
          finished.push(printed);
        },
      }),
    ],
    context,
  );
  return { program, context, out, err, seen };
}

describe("defineCommand", () => {
  it("passes the arguments by name and only the given flags, under their keys", async () => {
    const { program, seen } = harness([]);
    await program.parseAsync(["make", "box", "--size", "3"], { from: "user" });
    expect(seen).toEqual([{ args: { kind: "box" }, options: { sizeUnits: 3 } }]);
  });

  it("prints the rendering without --json and the json document with it, never both", async () => {
    const human = harness([]);
    await human.program.parseAsync(["make", "box"], { from: "user" });
    expect(human.out.join("")).toBe("box:1\n");
    expect(human.err.join("")).toBe("made it\n");
    const json = harness([]);
    await json.program.parseAsync(["--json", "make", "box"], { from: "user" });
    expect(JSON.parse(json.out.join(""))).toEqual({ made: { kind: "box", size: 1 } });
    expect(json.err.join("")).toBe("");
  });

  it("sets the exit code from the result and runs finish after printing", async () => {
    const finished: boolean[] = [];
    const { program, context } = harness(finished);
    await program.parseAsync(["make", "box", "--size", "9"], { from: "user" });
    expect(context.exitCode).toBe(3);
    expect(finished).toEqual([true]);
  });

  it("shows the examples under --help", () => {
    const { program } = harness([]);
    const make = program.commands.find((command) => command.name() === "make")!;
    let help = "";
    make.configureOutput({ writeOut: (text) => (help += text) });
    make.outputHelp();
    expect(help).toContain("\nExamples:\n  $ arker make box --size 3\n");
    expect(help).toMatch(/--size <n>\s+size/);
  });
});
