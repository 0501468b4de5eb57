#!/usr/bin/env node
import { parseArgs } from "node:util";
import { exportLines, type FakeServerOptions, startFakeServer } from "./server.js";
import { CLOCK_MODES, type ClockMode } from "./support/clock.js";

/**
 * `arker-fake [--port N] [--host H] [--seed S] [--clock M] [--allow-host H]… [limits]`:
 * starts a listening fake, prints `export ARKER_BASE_URL=…`, `export ARKER_CONTROL_BASE_URL=…`
 * (the same URL), `export ARKER_API_KEY=…` and
 * `export ARKER_FAKE_CONTROL_TOKEN=…` (a warning on stderr when the host is not
 * loopback), runs until SIGINT/SIGTERM.
 *
 * @module
 */

const USAGE = [
  "usage: arker-fake [--port N] [--host H] [--seed S] [--clock real|auto|manual] [--allow-host H]...",
  "                  [--max-command-ms N] [--max-output-bytes N] [--max-vm-bytes N] [--max-body-bytes N]",
].join("\n");

/** The integer flags and the option each sets. */
const LIMIT_FLAGS = {
  "max-command-ms": "maxCommandMs",
  "max-output-bytes": "maxOutputBytes",
  "max-vm-bytes": "maxVmBytes",
  "max-body-bytes": "maxBodyBytes",
} as const satisfies Record<string, keyof FakeServerOptions>;

function usageError(message: string): never {
  process.stderr.write(`arker-fake: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integerFlag(name: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    usageError(`--${name} must be an integer ${min}-${max}`);
  return number;
}

async function main(): Promise<void> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        clock: { type: "string" },
        "allow-host": { type: "string", multiple: true },
        ...Object.fromEntries(
          Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: "string" as const }]),
        ),
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options: FakeServerOptions = {
    port: values.port === undefined ? 0 : integerFlag("port", String(values.port), 0, 65535),
  };
  if (typeof values.host === "string") options.host = values.host;
  if (typeof values.seed === "string") options.seed = values.seed;
  if (Array.isArray(values["allow-host"])) options.allowedHosts = values["allow-host"];
  for (const [flag, option] of Object.entries(LIMIT_FLAGS)) {
    const value = values[flag];
    if (typeof value === "string")
      options[option] = integerFlag(flag, value, 1, Number.MAX_SAFE_INTEGER);
  }
  // Unset: startFakeServer's default ("real").
  const clock = values.clock;
  if (clock !== undefined) {
    if (typeof clock !== "string" || !(CLOCK_MODES as readonly string[]).includes(clock))
      usageError(`--clock must be one of ${CLOCK_MODES.join(", ")}`);
    options.clock = clock as ClockMode;
  }
  const server = await startFakeServer(options);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  // Before the export lines: whoever reads them may signal at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (server.exposure !== undefined)
    process.stderr.write(`arker-fake: warning: ${server.exposure}\n`);
  process.stdout.write(`${exportLines(server)}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`arker-fake: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
