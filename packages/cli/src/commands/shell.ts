import type { Vm } from "@arker-ai/vm";
import { type Definition, defineCommand } from "../framework/define-command";
import type { SdkClient } from "../framework/sdk-client";
import { parseCwd } from "../support/parse-arguments";
import { attachTerminal } from "../support/pty-pump";

/** The flags of `arker shell`. */
interface ShellOptions {
  command?: string;
  session?: string;
  cwd?: string;
  persist?: boolean;
}

/** What `arker shell` ended with. */
interface ShellOutcome {
  vmId: string;
  exitCode: number;
  forked: boolean;
}

/** The golden `arker shell` forks when it is given no VM. */
const DEFAULT_GOLDEN = "ubuntu-full";

/** The VM to open: the one named, or a fresh fork of the default golden. */
async function vmFor(
  arker: SdkClient,
  vmId: string | undefined,
): Promise<{ vm: Vm; forked: boolean }> {
  if (vmId !== undefined) return { vm: arker.vm(vmId), forked: false };
  return { vm: await arker.fork(DEFAULT_GOLDEN), forked: true };
}

/** The session to open: `--session`, a new one for `--cwd`, else the VM's first. */
async function sessionFor(vm: Vm, options: ShellOptions): Promise<string> {
  if (options.session !== undefined) return options.session;
  if (options.cwd !== undefined) return (await vm.createSession({ cwd: options.cwd })).session_id;
  const sessions = await vm.listSessions({ limit: 1000 });
  const first = [...sessions.items].sort((a, b) => a.session_idx - b.session_idx)[0];
  return first?.session_id ?? (await vm.createSession()).session_id;
}

const shell = defineCommand({
  name: "shell",
  summary: "open an interactive shell in a VM (forks ubuntu-full when none is given)",
  examples: [
    "arker shell vm_01J...",
    "arker shell                                   # a fresh fork of ubuntu-full",
    "arker shell vm_01J... --command 'top'",
    "arker shell vm_01J... --session sess_01J... --no-persist",
    "echo 'make test' | arker shell vm_01J...      # piped: runs the input, then ends",
  ],
  notes: `On a terminal the local side goes to raw mode: every key (Ctrl-C included) goes to
the remote shell, and window size changes follow. arker exits with the remote exit code
(exit, Ctrl-D, or the --command's own). With stdin piped, the input is sent as typed
and ends with Ctrl-D, so the shell ends after it.`,
  arguments: [
    { name: "vm", description: "VM id or name (default: fork ubuntu-full)", optional: true },
  ],
  options: [
    { flags: "--command <command>", description: "run this command instead of a shell" },
    { flags: "--session <id>", description: "the session to open (default: the VM's first)" },
    {
      flags: "--cwd <dir>",
      description: "start in a new session in this directory",
      parse: parseCwd,
    },
    { flags: "--no-persist", description: "end the terminal and its session on disconnect" },
  ],
  action: async (
    { args, options }: { args: { vm?: string }; options: ShellOptions },
    context,
  ): Promise<ShellOutcome> => {
    const arker = await context.arker();
    const vmId = args.vm === undefined ? undefined : await context.vmId(args.vm);
    const { vm, forked } = await vmFor(arker, vmId);
    if (forked) context.io.stderr.write(`arker: forked ${vm.id} from ${DEFAULT_GOLDEN}\n`);
    const sessionId = await sessionFor(vm, options);
    const size = context.io.terminal?.size();
    const pty = await vm.pty({
      sessionId,
      ...(size === undefined ? {} : { cols: size.cols, rows: size.rows }),
      ...(options.command === undefined ? {} : { command: options.command }),
      ...(options.persist === false ? { persist: false } : {}),
    });
    const exitCode = await attachTerminal(context.io, pty, { input: true, plainNewlines: false });
    return { vmId: vm.id, exitCode, forked };
  },
  json: (outcome) => ({ vm_id: outcome.vmId, exit_code: outcome.exitCode }),
  render: () => ({}),
  exitCode: (outcome) => outcome.exitCode,
});

/** `shell`. */
export const SHELL_COMMANDS: readonly Definition[] = [shell];
