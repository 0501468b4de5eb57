// Proves that none of the shell's bookkeeping names ends up in a session's environment, even when a run assigns it.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

// Every name in the runner's SHELL_INTERNALS a script may assign (SHELLOPTS and BASHOPTS
// are read-only, `?` is not a name; just-bash sets those three itself on every run).
const ASSIGNABLE = [
  "IFS",
  "OSTYPE",
  "MACHTYPE",
  "HOSTTYPE",
  "HOSTNAME",
  "OLDPWD",
  "OPTIND",
  "_",
  "PPID",
  "UID",
  "EUID",
  "BASHPID",
  "SHLVL",
  "RANDOM",
  "LINENO",
  "SECONDS",
  "__ARKER_RUN",
];

describe("runner: the shell's bookkeeping stays out of the session", () => {
  it.each(ASSIGNABLE)(
    "a run that assigns %s leaves the session's environment as it was",
    async (name) => {
      const b = bench();
      b.session.env = { KEEP: "k" };
      const answer = await b.start(`${name}=assigned; export NEW=n`);
      expect(answer).toMatchObject({ status: 200, body: { exit_code: 0 } });
      expect(b.session.env).toEqual({ KEEP: "k", NEW: "n" });
    },
  );
});
