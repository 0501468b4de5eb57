import type { Definition } from "../framework/define-command";
import { COMPLETION_COMMANDS } from "./completion";
import { CONFIG_COMMANDS } from "./config";
import { CP_COMMANDS } from "./cp";
import { DEV_COMMANDS } from "./dev";
import { FS_COMMANDS } from "./fs";
import { LOGIN_COMMANDS } from "./login";
import { RUN_COMMANDS } from "./run";
import { RUNS_COMMANDS } from "./runs";
import { SESSIONS_COMMANDS } from "./sessions";
import { SHELL_COMMANDS } from "./shell";
import { SYNC_COMMANDS } from "./sync";
import { SYNCS_COMMANDS } from "./syncs";
import { TUNNELS_COMMANDS } from "./tunnels";
import { VERSION_COMMANDS } from "./version";
import { VM_COMMANDS } from "./vm";

/** Every command of `arker`, in the order `--help` lists them. */
export const COMMANDS: readonly Definition[] = [
  ...VM_COMMANDS,
  ...RUN_COMMANDS,
  ...SHELL_COMMANDS,
  ...RUNS_COMMANDS,
  ...SYNC_COMMANDS,
  ...CP_COMMANDS,
  ...FS_COMMANDS,
  ...SYNCS_COMMANDS,
  ...SESSIONS_COMMANDS,
  ...TUNNELS_COMMANDS,
  ...DEV_COMMANDS,
  ...LOGIN_COMMANDS,
  ...CONFIG_COMMANDS,
  ...COMPLETION_COMMANDS,
  ...VERSION_COMMANDS,
];
