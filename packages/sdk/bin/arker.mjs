#!/usr/bin/env node
// `arker` from the umbrella: runs the bin of @arker-ai/cli, a dependency of this package
// (which depends on core, vm and filesystems, never on this package: no cycle). The CLI's
// package.json names its bin; this package reads it there rather than copying the CLI.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const manifest = createRequire(import.meta.url).resolve("@arker-ai/cli/package.json");
const { bin } = JSON.parse(readFileSync(manifest, "utf8"));
await import(pathToFileURL(join(dirname(manifest), bin.arker)).href);
