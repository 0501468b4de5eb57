import { describe, expect, it } from "vitest";
import { CLI_VERSION } from "../src/index";
import { runArker } from "./harness";

const RUN_HINT =
  "hint: the remote command's own flags go after --, as in: arker run <vm> -- python3 -c 'print(1)'";

describe.concurrent("the root command", () => {
  it("--help opens with the usage, the description and every global option", async () => {
    const result = await runArker(["--help"]);
    expect(result.code).toBe(0);
    expect(result.text.slice(0, result.text.indexOf("\nCommands:\n"))).toBe(
      [
        "Usage: arker [options] [command]",
        "",
        "Drive Arker VMs from a shell: fork, run, move files, mount filesystems.",
        "",
        "Options:",
        "  -V, --version                    print the version",
        "  --api-key <key>                  API key (default: ARKER_API_KEY, then the",
        "                                   config file)",
        "  --region <region>                region, e.g. us-west-2 (default:",
        "                                   ARKER_REGION, then the config file)",
        "  --provider <provider>            aws or aws-burst (default: ARKER_PROVIDER,",
        "                                   then aws)",
        "  --base-url <url>                 send every call here, e.g. an `arker dev`",
        "                                   server (default: ARKER_BASE_URL)",
        "  --json                           print one JSON document on stdout",
        "  --debug                          trace every HTTP call on stderr (the key is",
        "                                   redacted)",
        "  --no-color                       never colour the output (NO_COLOR works too)",
        "  -h, --help                       display help for command",
        "",
      ].join("\n"),
    );
  });

  it("-V prints the bare version, exit 0", async () => {
    const result = await runArker(["-V"]);
    expect(result.code).toBe(0);
    expect(result.text).toBe(`${CLI_VERSION}\n`);
  });

  it("a usage error is one arker: usage: line, a suggestion when one is close, and the --help pointer", async () => {
    const unknown = await runArker(["nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("arker: usage: unknown command 'nope'\n(add --help for usage)\n");
    const close = await runArker(["lss"]);
    expect(close.stderr).toBe(
      "arker: usage: unknown command 'lss'\n(Did you mean ls?)\n(add --help for usage)\n",
    );
  });
});

describe.concurrent("the hint for a remote command's flags", () => {
  it("follows an unknown option of arker run without --, once, after commander's message", async () => {
    const result = await runArker(["run", "vm_x", "python3", "-c", "1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `arker: usage: unknown option '-c'\n(add --help for usage)\narker: ${RUN_HINT}\n`,
    );
  });

  it("looks past global flags before run, and past a global flag's value", async () => {
    for (const args of [
      ["--debug", "run", "vm_x", "python3", "-c", "1"],
      ["--region", "us-west-2", "run", "vm_x", "python3", "-c", "1"],
    ]) {
      const result = await runArker(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(`arker: ${RUN_HINT}\n`);
    }
  });

  it("goes into the --json error's message instead of a line of its own", async () => {
    const result = await runArker(["run", "vm_x", "python3", "-c", "1", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("arker: usage: unknown option '-c'\n(add --help for usage)\n");
    expect(result.json()).toEqual({
      error: {
        code: "usage",
        message: `unknown option '-c'; ${RUN_HINT}`,
        status: null,
        requestId: null,
      },
    });
  });

  it("is not given for another command, another error, or once -- is there", async () => {
    for (const args of [
      ["ls", "--bogus"],
      ["fork", "ubuntu", "-c"],
      ["run"],
      ["run", "--bogus", "vm_x", "--", "true"],
    ]) {
      const result = await runArker(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).not.toContain("hint:");
    }
  });

  it("--json after -- belongs to the remote command: the error stays plain", async () => {
    const result = await runArker(["ls", "--bogus", "--", "--json"]);
    expect(result.code).toBe(2);
    expect(result.text).toBe("");
  });
});

describe.concurrent("the hint for a mount asked of arker sync", () => {
  const mountHint = (subcommand: string): string =>
    `hint: arker sync reads or writes one file; mounts (the API's syncs) are arker mounts ${subcommand} …, as in: arker mounts create <vm> <filesystem> <path>`;

  it("follows too many arguments for arker sync create", async () => {
    const result = await runArker(["sync", "create", "vm_x", "fs_x", "/mnt/x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "arker: usage: too many arguments for 'sync'. Expected 3 arguments but got 4.\n" +
        `(add --help for usage)\narker: ${mountHint("create")}\n`,
    );
  });

  it("names the subcommand typed, past a global flag's value", async () => {
    const result = await runArker([
      "--base-url",
      "http://x.test",
      "sync",
      "rm",
      "vm_x",
      "s",
      "--yes",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--yes'");
    expect(result.stderr).toContain(`arker: ${mountHint("rm")}\n`);
  });

  it("is not given for another usage error of sync", async () => {
    const result = await runArker(["sync", "vm_x", "/a", "b", "c"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("too many arguments for 'sync'");
    expect(result.stderr).not.toContain("hint:");
  });
});
