import { parse, type ScriptNode, type StatementNode, type TransformPlugin } from "just-bash";
import { PULSE_PATH } from "../support/event-loop-pulse.js";

/**
 * A just-bash transform plugin that makes every loop iteration and function call test
 * `[ -e PULSE_PATH ]`, which the VM filesystem answers through `pulse()` (see
 * `support/event-loop-pulse.ts`). The test goes first in a `while`/`until` condition
 * list (whose status is its last command's), and first in a `for` body and a function
 * body (where it leaves `$?` at 0 — a body that reads `$?` before any command is the
 * one visible difference). `bash -c` and `source` are parsed through the plugin too.
 *
 * @module
 */

const PULSE_STATEMENT: StatementNode = parse(`[ -e ${PULSE_PATH} ]`).statements[0]!;

function pulseStatement(): StatementNode {
  return structuredClone(PULSE_STATEMENT);
}

type Node = { type?: unknown; [key: string]: unknown };

function instrument(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) instrument(item);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const record = node as Node;
  for (const value of Object.values(record)) instrument(value);
  switch (record.type) {
    case "While":
    case "Until":
      (record.condition as StatementNode[]).unshift(pulseStatement());
      break;
    case "For":
    case "CStyleFor":
      (record.body as StatementNode[]).unshift(pulseStatement());
      break;
    case "FunctionDef": {
      const body = (record.body as Node | undefined)?.body;
      if (Array.isArray(body)) (body as StatementNode[]).unshift(pulseStatement());
      break;
    }
    default:
  }
}

/** The plugin: instruments a parsed script in place. */
export const shellPulsePlugin: TransformPlugin = {
  name: "arker-fake-pulse",
  transform: ({ ast }: { ast: ScriptNode }) => {
    instrument(ast);
    return { ast };
  },
};
