import { type Definition, defineCommand } from "../framework/define-command";
import { type VersionDocument, versionDocument } from "../support/version";

const version = defineCommand({
  name: "version",
  summary: "print the CLI and Node.js versions",
  examples: ["arker version", "arker version --json | jq -r .version"],
  action: async (): Promise<VersionDocument> => versionDocument(),
  render: (document) => ({
    data: `${document.name} ${document.version} (node ${document.node})\n`,
  }),
});

/** `version`. */
export const VERSION_COMMANDS: readonly Definition[] = [version];
