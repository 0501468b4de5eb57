import { type Definition, defineCommand } from "../framework/define-command";
import { describeCommand } from "../support/command-tree";
import {
  COMPLETION_SHELLS,
  type CompletionShell,
  completionScript,
} from "../support/completion-scripts";
import { choiceOption } from "../support/parse-arguments";

const completion = defineCommand({
  name: "completion",
  summary: `print a shell completion script (${COMPLETION_SHELLS.join(", ")})`,
  examples: [
    "source <(arker completion bash)                     # add to ~/.bashrc",
    "source <(arker completion zsh)                      # add to ~/.zshrc",
    "arker completion fish > ~/.config/fish/completions/arker.fish",
  ],
  notes: "The script is generated from the declared commands, so it always matches this version.",
  arguments: [{ name: "shell", description: COMPLETION_SHELLS.join(" | ") }],
  action: async ({ args }: { args: { shell: string }; options: unknown }, context) => {
    const shell: CompletionShell = choiceOption("<shell>", COMPLETION_SHELLS)(args.shell);
    return { shell, script: completionScript(shell, describeCommand(context.program)) };
  },
  render: (result) => ({ data: result.script }),
});

/** `completion bash|zsh|fish`. */
export const COMPLETION_COMMANDS: readonly Definition[] = [completion];
