import type { Definition } from "../framework/define-command";
import { CONFIG_COMMANDS } from "./config";
import { DEV_COMMANDS } from "./dev";
import { FS_COMMANDS } from "./fs";
import { RUN_COMMANDS } from "./run";
import { RUNS_COMMANDS } from "./runs";
import { SESSIONS_COMMANDS } from "./sessions";
import { SYNC_COMMANDS } from "./sync";
import { SYNCS_COMMANDS } from "./syncs";
import { VM_COMMANDS } from "./vm";

/** Every command of `arker`, in the order `--help` lists them. */
export const COMMANDS: readonly Definition[] = [
  ...VM_COMMANDS,
  ...RUN_COMMANDS,
  ...RUNS_COMMANDS,
  ...SYNC_COMMANDS,
  ...FS_COMMANDS,
  ...SYNCS_COMMANDS,
  ...SESSIONS_COMMANDS,
  ...DEV_COMMANDS,
  ...CONFIG_COMMANDS,
];
