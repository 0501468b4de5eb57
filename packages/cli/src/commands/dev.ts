import { rmSync } from "node:fs";
import { RECORD_ENV, startInBackground, stopProcess } from "../dev/background";
import { parseDuration } from "../dev/durations";
import { type FakeServer, loadTesting, type RequestLine } from "../dev/load-testing";
import { type DevRecord, devPaths, readLiveRecord, writeRecord } from "../dev/state";
import type { CommandContext } from "../framework/context";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { CliError } from "../support/errors";
import { choiceOption, integerOption } from "../support/parse-arguments";
import { quoteShellArgument } from "../support/shell-quote";

/** The fake's clock modes (`CLOCK_MODES` of @arker-ai/testing, which the CLI does not import). */
const CLOCK_MODES = ["auto", "real", "manual"] as const;

/** The flags of `arker dev`. */
interface StartOptions {
  port?: number;
  host?: string;
  clock?: (typeof CLOCK_MODES)[number];
  detach?: boolean;
}

/** What `arker dev` (foreground or `--detach`) produced. */
type Started =
  | {
      kind: "foreground";
      record: DevRecord;
      server: FakeServer;
      shutdown: Promise<unknown>;
      stop: () => void;
    }
  | { kind: "background"; record: DevRecord; already: boolean; log: string };

const start = defineCommand({
  name: "start",
  isDefault: true,
  summary: "run a local fake Arker server (from @arker-ai/testing); --detach for the background",
  examples: [
    'eval "$(arker dev --detach)"       # background server; exports ARKER_* in this shell',
    "arker dev                         # foreground: prints the export lines, logs calls, Ctrl-C stops",
    "arker dev --port 8787 --clock auto",
  ],
  notes:
    "Needs @arker-ai/testing, found in the current project first, then beside the CLI:\n" +
    "  npm install --save-dev @arker-ai/testing",
  options: [
    {
      flags: "--port <port>",
      description: "port to listen on (default: a free one)",
      parse: integerOption("--port", { min: 0, max: 65535 }),
    },
    { flags: "--host <host>", description: "address to listen on (default 127.0.0.1)" },
    {
      flags: "--clock <mode>",
      description: `fake time: ${CLOCK_MODES.join(", ")} (default real)`,
      parse: choiceOption("--clock", CLOCK_MODES),
    },
    { flags: "--detach", description: "start in the background, print the export lines, exit" },
  ],
  action: async (
    { options }: { args: unknown; options: StartOptions },
    context,
  ): Promise<Started> => {
    const env = context.io.env;
    const paths = devPaths(env);
    if (options.detach) {
      const running = readLiveRecord(paths);
      if (running !== undefined)
        return { kind: "background", record: running, already: true, log: paths.log };
      const record = await startInBackground(paths, startFlags(options), env);
      return { kind: "background", record, already: false, log: paths.log };
    }
    return startForeground(options, context, env[RECORD_ENV]);
  },
  // The fake's own key (not a real one): printing it is the point of `arker dev`.
  json: ({ record }) => ({
    baseUrl: record.url,
    apiKey: record.apiKey,
    pid: record.pid,
    clock: record.clock,
  }),
  render: (started, styles) => ({
    data: exportLines(started.record),
    messages: [
      styles.err.dim(
        started.kind === "foreground"
          ? `fake Arker server on ${started.record.url} (clock ${started.record.clock}); Ctrl-C to stop`
          : `${started.already ? "already running" : "started"}: fake Arker server on ${started.record.url} (pid ${started.record.pid}, log ${started.log}); arker dev stop to stop`,
      ),
    ],
  }),
  finish: async (started, _context, printed) => {
    if (started.kind !== "foreground") return;
    try {
      if (printed) await started.shutdown;
    } finally {
      started.stop();
      await started.server.close();
    }
  },
});

const stop = defineCommand({
  name: "stop",
  summary: "stop the background arker dev (waits until its process is gone)",
  examples: ["arker dev stop"],
  action: async (_input: { args: unknown; options: unknown }, context) => {
    const paths = devPaths(context.io.env);
    const record = readLiveRecord(paths);
    if (record === undefined) return { stopped: false as const };
    await stopProcess(record.pid);
    rmSync(paths.record, { force: true });
    return { stopped: true as const, pid: record.pid };
  },
  render: (result) => ({
    messages: [
      result.stopped ? `stopped arker dev (pid ${result.pid})` : "no background arker dev running",
    ],
  }),
});

const status = defineCommand({
  name: "status",
  summary: "say whether a background arker dev runs, and where (exit 1 when none)",
  examples: ["arker dev status", "arker dev status --json | jq .baseUrl"],
  action: async (_input: { args: unknown; options: unknown }, context) => {
    const record = readLiveRecord(devPaths(context.io.env));
    if (record === undefined) {
      throw new CliError(
        "not_running",
        "no background arker dev running",
        1,
        'hint: eval "$(arker dev --detach)"',
      );
    }
    return record;
  },
  json: (record) => ({
    running: true,
    baseUrl: record.url,
    pid: record.pid,
    clock: record.clock,
    startedAt: record.startedAt,
  }),
  render: (record) => ({
    data: `running: ${record.url} (pid ${record.pid}, clock ${record.clock}, since ${record.startedAt})\n`,
  }),
});

const reset = defineCommand({
  name: "reset",
  summary: "forget every VM, run, filesystem and fault of the background arker dev",
  examples: ["arker dev reset"],
  action: async (_input: { args: unknown; options: unknown }, context) => {
    await control(context, "POST", "/_fake/reset");
    return { reset: true as const };
  },
  render: () => ({ messages: ["reset"] }),
});

const advance = defineCommand({
  name: "advance",
  summary: "move the fake clock of the background arker dev forward (90s, 5m, 1h…)",
  examples: ["arker dev advance 5m", "arker dev advance 1h --json | jq .now"],
  arguments: [{ name: "duration", description: "how far: a number and ms, s, m, h or d" }],
  action: async ({ args }: { args: { duration: string }; options: unknown }, context) => {
    const ms = parseDuration(args.duration);
    return (await control(context, "POST", "/_fake/clock/advance", { ms })) as {
      now: string;
      mode: string;
    };
  },
  render: (clock) => ({ data: `${clock.now}\n` }),
});

const failHost = defineCommand({
  name: "fail-host",
  summary: "make the host of a VM fail in the background arker dev (its runs end host_failed)",
  examples: ["arker dev fail-host vm_01J...", "arker dev fail-host my-vm"],
  arguments: [{ name: "vm", description: "VM id or name" }],
  action: async ({ args }: { args: { vm: string }; options: unknown }, context) => {
    // A name is looked up through the API, so it needs the server's exports (`eval`).
    const vmId = await context.vmId(args.vm);
    await control(context, "POST", `/_fake/fail-host/${encodeURIComponent(vmId)}`);
    return { vmId, failed: true as const };
  },
  render: (result) => ({ messages: [`failed the host of ${result.vmId}`] }),
});

/** `dev [start]|stop|status|reset|advance|fail-host`: a local fake Arker server. */
export const DEV_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "dev",
    summary:
      "run a local fake Arker server (from @arker-ai/testing) and drive its clock and faults",
    examples: [
      'eval "$(arker dev --detach)"',
      "arker fork ubuntu && arker ls",
      "arker dev advance 5m",
      "arker dev stop",
    ],
    commands: [start, stop, status, reset, advance, failHost],
  }),
];

async function startForeground(
  options: StartOptions,
  context: CommandContext,
  recordFile: string | undefined,
): Promise<Started> {
  const testing = await loadTesting(context.io.cwd ?? process.cwd());
  const { detach: _detach, ...startOptions } = options;
  const server = await testing.startFakeServer(startOptions);
  const record: DevRecord = {
    pid: process.pid,
    url: server.url,
    apiKey: server.apiKey,
    controlToken: server.controlToken ?? server.apiKey,
    clock: options.clock ?? "real",
    startedAt: new Date().toISOString(),
  };
  // Listen for SIGINT/SIGTERM before printing: a caller may signal as soon as it has
  // read the export lines.
  const shutdown = context.io.waitForShutdown?.() ?? new Promise<never>(() => {});
  const exposure =
    server.exposure ??
    (options.host !== undefined && !isLoopback(options.host)
      ? `listening on ${options.host}: anyone who can reach it can use this fake server`
      : undefined);
  if (exposure !== undefined) context.io.stderr.write(`arker: warning: ${exposure}\n`);
  const stopLogging = logRequests(server, context.io.stderr);
  if (recordFile !== undefined) writeRecord(recordFile, record);
  const stop = () => {
    stopLogging();
    if (recordFile !== undefined) rmSync(recordFile, { force: true });
  };
  return { kind: "foreground", record, server, shutdown, stop };
}

/** Prints one line per call the fake answered, on stderr; returns the function that stops it. */
function logRequests(server: FakeServer, stderr: NodeJS.WritableStream): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    const requests: readonly RequestLine[] = server.fake?.requests ?? [];
    if (requests.length < seen) seen = 0; // a reset empties the log
    for (const entry of requests.slice(seen)) {
      stderr.write(`${entry.status ?? "-"} ${entry.method ?? "?"} ${entry.path ?? "?"}\n`);
    }
    seen = requests.length;
  }, 100);
  timer.unref();
  return () => clearInterval(timer);
}

/** Calls a control route of the background server with its key. */
async function control(
  context: CommandContext,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const record = readLiveRecord(devPaths(context.io.env));
  if (record === undefined) {
    throw new CliError(
      "not_running",
      "no background arker dev running",
      1,
      'hint: eval "$(arker dev --detach)"',
    );
  }
  const response = await fetch(new URL(path, `${record.url}/`), {
    method,
    headers: { authorization: `Bearer ${record.controlToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new CliError(
      response.status === 404 ? "not_found" : "dev_control_failed",
      `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`,
      response.status === 404 ? 5 : 1,
    );
  }
  return text === "" ? {} : JSON.parse(text);
}

function startFlags(options: StartOptions): string[] {
  const flags: string[] = [];
  if (options.port !== undefined) flags.push("--port", String(options.port));
  if (options.host !== undefined) flags.push("--host", options.host);
  if (options.clock !== undefined) flags.push("--clock", options.clock);
  return flags;
}

function exportLines(record: DevRecord): string {
  return [
    ["ARKER_BASE_URL", record.url],
    ["ARKER_CONTROL_BASE_URL", record.url],
    ["ARKER_API_KEY", record.apiKey],
  ]
    .map(([name, value]) => `export ${name}=${quoteShellArgument(value as string)}\n`)
    .join("");
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
