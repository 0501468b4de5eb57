import { fileURLToPath } from "node:url";
import type { AliasOptions } from "vite";

const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Points every `@arker-ai/*` import at the workspace sources, so tests exercise a fix
 * without a rebuild and a sibling package's `tsup --clean` cannot break a run. The
 * consumer checks (scripts/consumer-checks.mjs) cover the built and packed packages.
 */
export const workspaceSourceAliases: AliasOptions = [
  { find: /^@arker-ai\/core\/wire$/, replacement: source("core/src/wire.ts") },
  { find: /^@arker-ai\/core\/contract$/, replacement: source("core/src/contract/index.ts") },
  { find: /^@arker-ai\/core\/internal$/, replacement: source("core/src/internal.ts") },
  { find: /^@arker-ai\/core$/, replacement: source("core/src/index.ts") },
  { find: /^@arker-ai\/vm$/, replacement: source("vm/src/index.ts") },
  { find: /^@arker-ai\/filesystems$/, replacement: source("filesystems/src/index.ts") },
  { find: /^@arker-ai\/sdk$/, replacement: source("sdk/src/index.ts") },
  { find: /^@arker-ai\/testing\/vitest$/, replacement: source("testing/src/vitest.ts") },
  { find: /^@arker-ai\/testing$/, replacement: source("testing/src/index.ts") },
];
