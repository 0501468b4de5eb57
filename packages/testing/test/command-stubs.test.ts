// Proves the command stub registry (which stub answers a command) and splitArgv's quoting (engine/command-stubs.ts).
import { describe, expect, it } from "vitest";
import { type CommandContext, CommandStubs, splitArgv } from "../src/engine/command-stubs.js";

const context = (command: string): CommandContext => ({
  command,
  argv: splitArgv(command),
  stdin: "",
  env: {},
  cwd: "/",
  vmId: "vm_1",
  files: { read: () => undefined, exists: () => false, list: () => undefined },
});

describe("CommandStubs", () => {
  it("refuses a matcher or a handler of the wrong kind, naming which", () => {
    const stubs = new CommandStubs();
    expect(() => stubs.on(42 as never, () => ({}))).toThrow(
      new TypeError("commands.on: matcher must be a string, a RegExp or a function"),
    );
    expect(() => stubs.on("x", "not a function" as never)).toThrow(
      new TypeError("commands.on: handler must be a function"),
    );
    expect(stubs.empty).toBe(true);
  });

  it("matches a string against the trimmed command, a RegExp anywhere, a predicate with the context", () => {
    const stubs = new CommandStubs();
    const byString = () => ({ stdout: "string" });
    const byRegExp = () => ({ stdout: "regexp" });
    const byPredicate = () => ({ stdout: "predicate" });
    const seen: unknown[] = [];
    stubs.on("deploy now", byString);
    stubs.on(/build/, byRegExp);
    stubs.on((command, ctx) => {
      seen.push([command, ctx.vmId]);
      return command.startsWith("p");
    }, byPredicate);
    expect(stubs.empty).toBe(false);
    expect(stubs.find(context("  deploy now \n"))).toBe(byString);
    expect(stubs.find(context("deploy"))).toBeUndefined();
    expect(stubs.find(context("npm run build:all"))).toBe(byRegExp);
    expect(stubs.find(context("ping"))).toBe(byPredicate);
    expect(seen).toContainEqual(["ping", "vm_1"]);
  });

  it("lets the newest matching stub win, and an unsubscribe remove only its own", () => {
    const stubs = new CommandStubs();
    const older = () => ({});
    const newer = () => ({});
    stubs.on("go", older);
    const off = stubs.on("go", newer);
    expect(stubs.find(context("go"))).toBe(newer);
    off();
    expect(stubs.find(context("go"))).toBe(older);
    off();
    expect(stubs.find(context("go"))).toBe(older);
    stubs.clear();
    expect(stubs.empty).toBe(true);
    expect(stubs.find(context("go"))).toBeUndefined();
  });

  it("matches a global RegExp every time, whatever its lastIndex", () => {
    const stubs = new CommandStubs();
    const handler = () => ({});
    stubs.on(/go/g, handler);
    expect(stubs.find(context("go"))).toBe(handler);
    expect(stubs.find(context("go"))).toBe(handler);
    expect(stubs.find(context("go"))).toBe(handler);
  });
});

describe("splitArgv", () => {
  it("splits on any whitespace, runs of it included", () => {
    expect(splitArgv("  a  b\tc\nd ")).toEqual(["a", "b", "c", "d"]);
    expect(splitArgv("")).toEqual([]);
  });

  it("keeps quoted spaces and empty quoted words; quotes of the other kind are literal inside", () => {
    expect(splitArgv(`a "b c" 'd e' "" ''`)).toEqual(["a", "b c", "d e", "", ""]);
    expect(splitArgv(`"it's" 'say "hi"'`)).toEqual(["it's", 'say "hi"']);
    expect(splitArgv(`pre"mid"post`)).toEqual(["premidpost"]);
  });

  it("escapes with a backslash outside quotes and inside double quotes, not inside single quotes", () => {
    expect(splitArgv(String.raw`a\ b \"c`)).toEqual(["a b", '"c']);
    expect(splitArgv(String.raw`"x\"y" 'x\y'`)).toEqual(['x"y', String.raw`x\y`]);
  });

  it("keeps a trailing backslash as it is, inside double quotes or not", () => {
    expect(splitArgv("a\\")).toEqual(["a\\"]);
    expect(splitArgv('"a\\')).toEqual(["a\\"]);
  });

  it("an escaped space alone makes a word", () => {
    expect(splitArgv("\\ ")).toEqual([" "]);
  });
});
