import { parse, type ScriptNode, type StatementNode, serialize } from "just-bash";

/**
 * Makes a terminal's command line stream its output: just-bash hands a script's output
 * back only when the script ends, but a redirection applies per command. Each statement
 * of the line is wrapped as `{ statement; } >>SINK 2>&1`, and the bodies of loops, `if`,
 * `case` and `{ }` groups that stand alone (no redirection, not in a pipeline) are
 * wrapped statement by statement, so `for i in 1 2 3; do echo $i; sleep 1; done` writes
 * each line before its sleep. Words (command substitutions) and functions are not
 * touched: their output goes where the caller sends it. A line that does not parse is
 * returned as it is (the shell reports the error).
 *
 * @module
 */

/** The path a terminal shell's output is appended to; the terminal's filesystem catches it. */
export const TERMINAL_SINK_PATH = "/dev/arker-terminal";

const WRAPPER: StatementNode = parse(`{ :; } >>${TERMINAL_SINK_PATH} 2>&1`).statements[0]!;

type Node = { type?: unknown; redirections?: unknown[]; [key: string]: unknown };

function wrap(statement: StatementNode): StatementNode {
  const wrapper = structuredClone(WRAPPER);
  const group = wrapper.pipelines[0]!.commands[0] as unknown as Node;
  group.body = [statement];
  return wrapper;
}

/** The compound command a statement is made of alone, if it can be streamed inside. */
function standaloneCompound(statement: StatementNode): Node | undefined {
  if (statement.background || statement.pipelines.length !== 1) return undefined;
  const pipeline = statement.pipelines[0]!;
  if (pipeline.commands.length !== 1 || pipeline.negated || pipeline.timed) return undefined;
  const command = pipeline.commands[0] as unknown as Node;
  if (command.redirections !== undefined && command.redirections.length > 0) return undefined;
  switch (command.type) {
    case "For":
    case "CStyleFor":
    case "While":
    case "Until":
    case "If":
    case "Case":
    case "Group":
      return command;
    default:
      return undefined;
  }
}

function streamStatements(statements: StatementNode[]): StatementNode[] {
  return statements.map((statement) => {
    const compound = standaloneCompound(statement);
    if (compound === undefined) return wrap(statement);
    streamInside(compound);
    return statement;
  });
}

function streamInside(command: Node): void {
  switch (command.type) {
    case "While":
    case "Until":
      command.condition = streamStatements(command.condition as StatementNode[]);
      command.body = streamStatements(command.body as StatementNode[]);
      break;
    case "If":
      for (const clause of command.clauses as Array<{
        condition: StatementNode[];
        body: StatementNode[];
      }>) {
        clause.condition = streamStatements(clause.condition);
        clause.body = streamStatements(clause.body);
      }
      if (Array.isArray(command.elseBody))
        command.elseBody = streamStatements(command.elseBody as StatementNode[]);
      break;
    case "Case":
      for (const item of command.items as Array<{ body: StatementNode[] }>)
        item.body = streamStatements(item.body);
      break;
    default:
      command.body = streamStatements(command.body as StatementNode[]);
  }
}

/**
 * The path the statement after a line appends to (`(exit $?) >>PATH`, which keeps the
 * line's `$?`): a line whose run ends without reaching it ran `exit`, so the shell ends.
 */
export const LINE_END_PATH = "/dev/arker-line-end";

/**
 * The command line rewritten to stream its output to {@link TERMINAL_SINK_PATH}, with
 * the {@link LINE_END_PATH} statement after it (`marked`); a line that does not parse is
 * left as it is, unmarked.
 */
export function streamingScript(line: string): { script: string; marked: boolean } {
  let script: ScriptNode;
  try {
    script = parse(line);
  } catch {
    return { script: line, marked: false };
  }
  script.statements = streamStatements(script.statements);
  return { script: `${serialize(script)}\n(exit $?) >>${LINE_END_PATH}`, marked: true };
}
