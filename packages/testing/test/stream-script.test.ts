import { parse, serialize } from "just-bash";
import { describe, expect, it } from "vitest";
import {
  LINE_END_PATH,
  streamingScript,
  TERMINAL_SINK_PATH,
} from "../src/terminal/stream-script.js";

/** `statement` sending its output to the terminal, as the rewrite wraps it. */
const sunk = (statement: string) => `{ ${statement}; } >>${TERMINAL_SINK_PATH} 2>&1`;

/** A script in just-bash's own spelling, with the line-end statement after it. */
const marked = (script: string) => `${serialize(parse(script))}\n(exit $?) >>${LINE_END_PATH}`;

function rewrite(line: string): string {
  const { script, marked: isMarked } = streamingScript(line);
  expect(isMarked).toBe(true);
  return script;
}

describe("streamingScript", () => {
  it("sends each statement of the line to the terminal on its own", () => {
    expect(rewrite("echo a; echo b && echo c")).toBe(
      marked(`${sunk("echo a")}\n${sunk("echo b && echo c")}`),
    );
  });

  it("streams inside the body of a loop, so each iteration's output comes before its sleep", () => {
    expect(rewrite("for i in 1 2; do echo $i; sleep 1; done")).toBe(
      marked(`for i in 1 2; do ${sunk("echo $i")}; ${sunk("sleep 1")}; done`),
    );
    expect(rewrite("for ((i = 0; i < 2; i++)); do echo $i; done")).toBe(
      marked(`for ((i = 0; i < 2; i++)); do ${sunk("echo $i")}; done`),
    );
  });

  it("streams the condition and body of while and until", () => {
    expect(rewrite("while check; do work; done")).toBe(
      marked(`while ${sunk("check")}; do ${sunk("work")}; done`),
    );
    expect(rewrite("until check; do work; done")).toBe(
      marked(`until ${sunk("check")}; do ${sunk("work")}; done`),
    );
  });

  it("streams every clause of an if, its else, each case item and a group", () => {
    expect(rewrite("if a; then b; elif c; then d; else e; fi")).toBe(
      marked(
        `if ${sunk("a")}; then ${sunk("b")}; elif ${sunk("c")}; then ${sunk("d")}; else ${sunk("e")}; fi`,
      ),
    );
    expect(rewrite("if a; then b; fi")).toBe(marked(`if ${sunk("a")}; then ${sunk("b")}; fi`));
    expect(rewrite("case $x in a) one;; b) two;; esac")).toBe(
      marked(`case $x in a) ${sunk("one")};; b) ${sunk("two")};; esac`),
    );
    expect(rewrite("{ a; b; }")).toBe(marked(`{ ${sunk("a")}; ${sunk("b")}; }`));
  });

  it("wraps a compound command whole when it is redirected, piped, negated, timed or in a list", () => {
    for (const line of [
      "for i in 1; do echo; done > f",
      "for i in 1; do echo; done | cat",
      "! while x; do :; done",
      "time if a; then b; fi",
      "{ a; } && b",
      "( echo sub )",
      "f() { echo x; }",
    ]) {
      expect(rewrite(line)).toBe(marked(sunk(serialize(parse(line)))));
    }
  });

  it("leaves a line that does not parse as it is, unmarked, for the shell to report", () => {
    expect(streamingScript("echo 'unterminated")).toEqual({
      script: "echo 'unterminated",
      marked: false,
    });
  });
});
