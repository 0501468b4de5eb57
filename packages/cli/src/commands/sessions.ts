import type { Session } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { addListOptions, collectPage, hintMorePages, type ListFlags } from "../list-pages";
import { formatKeyValues, formatTable, type Styles } from "../output";
import { collectEnv } from "../parse-arguments";
import { removeEach } from "./vm";

const EXAMPLES = `
Examples:
  $ S=$(arker sessions create vm_01J... --cwd /srv --env MODE=dev)
  $ arker run vm_01J... --session "$S" -- 'cd app && export X=1'
  $ arker run vm_01J... --session "$S" -- 'pwd; echo $X'      # /srv/app, 1
  $ arker sessions ls vm_01J...
  $ arker sessions rm vm_01J... "$S"`;

/** Registers `sessions ls|create|get|rm`. */
export function registerSessionsCommands(program: Command, context: CommandContext): void {
  const sessions = program
    .command("sessions")
    .description("shell sessions of a VM (each keeps its cwd and env between runs)")
    .addHelpText("after", EXAMPLES);

  addListOptions(
    sessions.command("ls").description("list a VM's sessions").argument("<vm>", "VM id"),
    "sessions",
  )
    .addHelpText("after", "\nExamples:\n  $ arker sessions ls vm_01J... --json")
    .action(async (vmId: string, flags: ListFlags) => {
      const arker = await context.arker();
      const page = await arker.vm(vmId).listSessions({ limit: flags.limit, cursor: flags.cursor });
      const { items, nextCursor } = await collectPage(page, flags.all);
      if (context.output.json) {
        await context.output.document({ sessions: items, nextCursor });
        return;
      }
      await context.output.data(sessionTable(items, context.output.out));
      await hintMorePages(context, nextCursor);
    });

  sessions
    .command("create")
    .description("start a session; prints its id")
    .argument("<vm>", "VM id")
    .option("--env <K=V>", "environment variable of the session (repeatable)", collectEnv)
    .option("--cwd <dir>", "working directory of the session")
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker sessions create vm_01J... --cwd /srv --env MODE=dev",
    )
    .action(async (vmId: string, flags: { env?: Record<string, string>; cwd?: string }) => {
      const arker = await context.arker();
      const options: { env?: Record<string, string>; cwd?: string } = {};
      if (flags.env !== undefined) options.env = flags.env;
      if (flags.cwd !== undefined) options.cwd = flags.cwd;
      const session = await arker.vm(vmId).createSession(options);
      if (context.output.json) {
        await context.output.document(session);
        return;
      }
      await context.output.data(`${session.session_id}\n`);
    });

  sessions
    .command("get")
    .description("show one session")
    .argument("<vm>", "VM id")
    .argument("<session>", "session id")
    .addHelpText("after", "\nExamples:\n  $ arker sessions get vm_01J... sess_01J...")
    .action(async (vmId: string, sessionId: string) => {
      const arker = await context.arker();
      const session = await arker.vm(vmId).getSession(sessionId);
      if (context.output.json) {
        await context.output.document(session);
        return;
      }
      await context.output.data(
        formatKeyValues(
          [
            ["id", session.session_id],
            ["index", session.session_idx],
            ["state", session.state],
            ["cwd", session.cwd],
            ["env", Object.keys(session.env ?? {}).join(", ")],
            ["started", session.started_at],
          ],
          context.output.out,
        ),
      );
    });

  sessions
    .command("rm")
    .description("end sessions")
    .argument("<vm>", "VM id")
    .argument("<session...>", "session ids")
    .addHelpText("after", "\nExamples:\n  $ arker sessions rm vm_01J... sess_01J...")
    .action(async (vmId: string, sessionIds: string[]) => {
      const arker = await context.arker();
      const vm = arker.vm(vmId);
      await removeEach(context, sessionIds, (id) => vm.deleteSession(id));
    });
}

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
