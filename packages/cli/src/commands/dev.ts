import { type Definition, defineCommand } from "../framework/define-command";
import { CliError } from "../support/errors";
import { integerOption } from "../support/parse-arguments";

const TESTING_PACKAGE: string = "@arker-ai/testing";

/** What `arker dev` needs from `@arker-ai/testing` (checked at run time: not a dependency of the CLI). */
interface FakeServer {
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

interface TestingModule {
  startFakeServer(options: { port?: number; host?: string }): Promise<FakeServer>;
}

/** A running `arker dev`: its server and the signal that stops it. */
interface DevServer {
  server: FakeServer;
  shutdown: Promise<unknown>;
}

const dev = defineCommand({
  name: "dev",
  summary: "run a local fake Arker server (from @arker-ai/testing) until Ctrl-C",
  examples: [
    "arker dev                         # prints the export lines, runs until Ctrl-C",
    "arker dev --port 8787",
    'eval "$(arker dev --port 8787 &)"   # or copy the two lines into another shell',
    "arker fork ubuntu && arker ls",
  ],
  notes: "Needs the optional package @arker-ai/testing:  npm install --save-dev @arker-ai/testing",
  options: [
    {
      flags: "--port <port>",
      description: "port on 127.0.0.1 (default: a free one)",
      parse: integerOption("--port", { min: 0, max: 65535 }),
    },
  ],
  action: async (
    { options }: { args: unknown; options: { port?: number } },
    context,
  ): Promise<DevServer> => {
    const testing = await loadTesting();
    const server = await testing.startFakeServer(options);
    // Listen for SIGINT/SIGTERM before printing: a caller may signal as soon as it has
    // read the export lines.
    const shutdown = context.io.waitForShutdown?.() ?? new Promise<never>(() => {});
    return { server, shutdown };
  },
  // The fake's own key (not a real one): printing it is the point of `arker dev`.
  json: ({ server }) => ({ baseUrl: server.url, apiKey: server.apiKey }),
  render: ({ server }, styles) => ({
    data: `export ARKER_BASE_URL=${server.url}\nexport ARKER_API_KEY=${server.apiKey}\n`,
    messages: [styles.err.dim(`fake Arker server on ${server.url}; Ctrl-C to stop`)],
  }),
  finish: async ({ server, shutdown }, _context, printed) => {
    try {
      if (printed) await shutdown;
    } finally {
      await server.close();
    }
  },
});

/** `dev` (a local fake Arker server in the foreground). */
export const DEV_COMMANDS: readonly Definition[] = [dev];

async function loadTesting(): Promise<TestingModule> {
  let loaded: unknown;
  try {
    // A variable specifier: the testing package's types are not needed to build the CLI,
    // and bundlers leave the import alone.
    loaded = await import(TESTING_PACKAGE);
  } catch (error) {
    if (isPackageMissing(error)) {
      throw new CliError(
        "missing_dependency",
        "arker dev needs the package @arker-ai/testing, which is not installed",
        1,
        "hint: npm install --save-dev @arker-ai/testing (or pnpm add -D @arker-ai/testing)",
      );
    }
    throw error;
  }
  const candidate = loaded as Partial<TestingModule>;
  if (typeof candidate.startFakeServer !== "function") {
    throw new CliError(
      "missing_dependency",
      "the installed @arker-ai/testing has no startFakeServer; upgrade it",
    );
  }
  return candidate as TestingModule;
}

/**
 * True when the package itself cannot be found — not when it is found but broken (a
 * file inside missing mid-rebuild), which must surface as it is.
 */
function isPackageMissing(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  if (error.code !== "ERR_MODULE_NOT_FOUND" && error.code !== "MODULE_NOT_FOUND") return false;
  return /Cannot find (package|module) '@arker-ai\/testing'/.test(error.message);
}
