// Proves the pulse plugin's instrumentation: where the pulse test goes in each loop kind and function, once each.
import { parse, type ScriptNode } from "just-bash";
import { describe, expect, it } from "vitest";
import { shellPulsePlugin } from "../src/engine/shell-pulse.js";
import { PULSE_PATH } from "../src/support/event-loop-pulse.js";

type Node = { type?: string; [key: string]: unknown };

const PULSE = `[ -e ${PULSE_PATH} ]`;

function instrumented(script: string): ScriptNode {
  const ast = parse(script);
  const result = shellPulsePlugin.transform({ ast } as never) as { ast: ScriptNode };
  expect(result.ast).toBe(ast);
  return ast;
}

function nodesOf(node: unknown, type: string, found: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const item of node) nodesOf(item, type, found);
  else if (node !== null && typeof node === "object") {
    if ((node as Node).type === type) found.push(node as Node);
    for (const value of Object.values(node)) nodesOf(value, type, found);
  }
  return found;
}

function first(ast: unknown, type: string): Node {
  const [node] = nodesOf(ast, type);
  if (node === undefined) throw new Error(`no ${type} node`);
  return node;
}

const texts = (statements: unknown) =>
  (statements as Array<{ sourceText: string }>).map((statement) => statement.sourceText);

describe("shellPulsePlugin", () => {
  it("is named", () => {
    expect(shellPulsePlugin.name).toBe("arker-fake-pulse");
  });

  it("puts the pulse test first in a while or until condition", () => {
    const ast = instrumented("while true; do echo a; done; until false; do echo b; done");
    const whileLoop = first(ast, "While");
    const untilLoop = first(ast, "Until");
    expect(texts(whileLoop.condition)).toEqual([PULSE, "true"]);
    expect(texts(whileLoop.body)).toEqual(["echo a"]);
    expect(texts(untilLoop.condition)).toEqual([PULSE, "false"]);
  });

  it("puts the pulse test first in a for, a C-style for and a function body", () => {
    const ast = instrumented(
      "for i in 1 2; do echo $i; done; for ((i=0;i<2;i++)); do echo c; done; f() { echo f; }",
    );
    expect(texts(first(ast, "For").body)).toEqual([PULSE, "echo $i"]);
    expect(texts(first(ast, "CStyleFor").body)).toEqual([PULSE, "echo c"]);
    const definition = first(ast, "FunctionDef");
    expect(texts((definition.body as Node).body)).toEqual([PULSE, "echo f"]);
  });

  it("instruments nested loops once each, with a statement of their own", () => {
    const ast = instrumented("g() { for i in 1; do while true; do break; done; done; }");
    const forLoop = first(ast, "For");
    const whileLoop = first(ast, "While");
    const definition = first(ast, "FunctionDef");
    expect(texts(forLoop.body)[0]).toBe(PULSE);
    expect(texts(forLoop.body)).toHaveLength(2);
    expect(texts(whileLoop.condition)).toEqual([PULSE, "true"]);
    expect(texts((definition.body as Node).body)).toHaveLength(2);
    const pulses = [
      (forLoop.body as unknown[])[0],
      (whileLoop.condition as unknown[])[0],
      ((definition.body as Node).body as unknown[])[0],
    ];
    expect(new Set(pulses).size).toBe(3);
    expect(pulses[0]).toEqual(pulses[1]);
  });

  it("leaves a script without loops or functions as parsed", () => {
    const ast = instrumented("if true; then echo a; fi; echo b | cat");
    expect(ast).toEqual(parse("if true; then echo a; fi; echo b | cat"));
  });

  it("puts it first in a subshell body; leaves a body without a statement list (if, case) alone", () => {
    const subshell = first(instrumented("h() ( echo sub )"), "FunctionDef");
    expect(texts((subshell.body as Node).body)).toEqual([PULSE, "echo sub"]);
    for (const script of ["h() if true; then echo a; fi", "h() case x in x) echo;; esac"]) {
      expect(JSON.stringify(instrumented(script)), script).not.toContain(PULSE_PATH);
    }
  });
});
