import type { CreateSessionOptions, ListSessionsOptions, Session } from "@arker-ai/vm";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { collectEnv, parseCwd } from "../support/parse-arguments";
import { VM_ARGUMENT } from "./arguments";
import { defineRemoval } from "./removal";

const ls = defineList({
  summary: "list a VM's sessions",
  examples: ["arker sessions ls vm_01J... --json"],
  arguments: [VM_ARGUMENT],
  noun: "sessions",
  key: "sessions",
  fetch: async (args: { vm: string }, query: ListSessionsOptions, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).listSessions(query),
  table: sessionTable,
});

const create = defineCommand({
  name: "create",
  summary: "start a session; prints its id",
  examples: ["arker sessions create vm_01J... --cwd /srv --env MODE=dev"],
  arguments: [VM_ARGUMENT],
  options: [
    {
      flags: "--env <K=V>",
      description: "environment variable of the session (repeatable)",
      parse: collectEnv,
    },
    { flags: "--cwd <dir>", description: "working directory of the session", parse: parseCwd },
  ],
  action: async (
    { args, options }: { args: { vm: string }; options: CreateSessionOptions },
    context,
  ) => (await context.arker()).vm(await context.vmId(args.vm)).createSession(options),
  render: (session: Session) => ({ data: `${session.session_id}\n` }),
});

const get = defineCommand({
  name: "get",
  summary: "show one session",
  examples: ["arker sessions get vm_01J... sess_01J..."],
  arguments: [VM_ARGUMENT, { name: "session", description: "session id" }],
  action: async ({ args }: { args: { vm: string; session: string }; options: unknown }, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).getSession(args.session),
  render: (session: Session, styles) => ({
    data: formatKeyValues(
      [
        ["id", session.session_id],
        ["index", session.session_idx],
        ["state", session.state],
        ["cwd", session.cwd],
        ["env", Object.keys(session.env ?? {}).join(", ")],
        ["started", session.started_at],
      ],
      styles.out,
    ),
  }),
});

const rm = defineRemoval<{ vm: string; session: string[] }>({
  name: "rm",
  noun: "sessions",
  summary: "end sessions",
  examples: ["arker sessions rm vm_01J... sess_01J... --yes"],
  arguments: [VM_ARGUMENT, { name: "session", description: "session ids", variadic: true }],
  targets: async (args, context) => {
    const vm = (await context.arker()).vm(await context.vmId(args.vm));
    return { ids: args.session, remove: (id) => vm.deleteSession(id) };
  },
});

/** `sessions ls|create|get|rm`. */
export const SESSIONS_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "sessions",
    summary: "shell sessions of a VM (each keeps its cwd and env between runs)",
    examples: [
      "S=$(arker sessions create vm_01J... --cwd /srv --env MODE=dev)",
      "arker run vm_01J... --session \"$S\" -- 'cd app && export X=1'",
      "arker run vm_01J... --session \"$S\" -- 'pwd; echo $X'      # /srv/app, 1",
      "arker sessions ls vm_01J...",
      'arker sessions rm vm_01J... "$S" --yes',
    ],
    commands: [ls, create, get, rm],
  }),
];

/** The `arker sessions ls` table. */
export function sessionTable(sessions: readonly Session[], styles: Styles): string {
  return formatTable(
    sessions,
    [
      { header: "id", value: (session) => session.session_id, style: (text) => styles.cyan(text) },
      { header: "index", value: (session) => session.session_idx, align: "right" },
      { header: "state", value: (session) => session.state },
      { header: "cwd", value: (session) => session.cwd },
      { header: "started", value: (session) => session.started_at },
    ],
    styles,
  );
}
