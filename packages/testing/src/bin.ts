#!/usr/bin/env node
import { parseArgs } from "node:util";
import { exportLines, startFakeServer } from "./server.js";
import { CLOCK_MODES, type ClockMode } from "./support/clock.js";

/**
 * `arker-fake [--port N] [--host H] [--seed S] [--clock real|auto|manual]`: starts a listening fake, prints
 * `export ARKER_BASE_URL=…` and `export ARKER_API_KEY=…`, runs until SIGINT/SIGTERM.
 *
 * @module
 */

const USAGE = "usage: arker-fake [--port N] [--host H] [--seed S] [--clock real|auto|manual]";

async function main(): Promise<void> {
  let values: { port?: string; host?: string; seed?: string; clock?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        clock: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(
      `arker-fake: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
    );
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`arker-fake: --port must be an integer 0-65535\n${USAGE}\n`);
    process.exit(2);
  }
  // Unset: startFakeServer's default ("real").
  const clock = values.clock;
  if (clock !== undefined && !(CLOCK_MODES as readonly string[]).includes(clock)) {
    process.stderr.write(
      `arker-fake: --clock must be one of ${CLOCK_MODES.join(", ")}\n${USAGE}\n`,
    );
    process.exit(2);
  }
  const server = await startFakeServer({
    port,
    host: values.host,
    seed: values.seed,
    clock: clock as ClockMode | undefined,
  });
  process.stdout.write(`${exportLines(server)}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(`arker-fake: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
