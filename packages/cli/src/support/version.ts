import packageJson from "../../package.json" with { type: "json" };

/** The version printed by `arker --version` (the package version). */
export const CLI_VERSION: string = packageJson.version;

/** What `arker version --json` and `arker --version --json` print. */
export interface VersionDocument {
  /** The package name (`@arker-ai/cli`). */
  name: string;
  /** The package version. */
  version: string;
  /** The Node.js version running it (without the `v`). */
  node: string;
}

/** The version document of this CLI on this Node. */
export function versionDocument(): VersionDocument {
  return { name: packageJson.name, version: CLI_VERSION, node: process.versions.node };
}
