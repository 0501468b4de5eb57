import { execFileSync, spawn } from "node:child_process";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/index";
import type { TerminalControl } from "../src/support/cli-io";
import { quoteShellArgument } from "../src/support/shell-quote";
import { BIN, cliFor, requireBuiltBinary, temporaryHome } from "./harness";

/** util-linux `script` gives the CLI a real pseudo-terminal; skip cleanly where it is absent. */
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let home: string;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false, clock: "auto" });
  home = await temporaryHome();
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
});

afterAll(async () => {
  await fake?.close();
});

async function forkVm(): Promise<string> {
  return (await cli(["fork", "ubuntu"])).text.trim();
}

/** Keys a test types, as an async iterable stdin. */
function keyboard() {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    type(text: string) {
      queue.push(text);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    stdin: (async function* () {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield Buffer.from(next);
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    })(),
  };
}

/** Runs the CLI in process on a pretend terminal; the test drives keys and window size. */
function onTerminal(args: string[], initialSize = { cols: 80, rows: 24 }) {
  const keys = keyboard();
  let screen = "";
  const waiters = new Set<() => void>();
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      screen += chunk.toString("utf8");
      for (const waiter of waiters) waiter();
      done();
    },
  });
  let size = initialSize;
  const resizeListeners = new Set<() => void>();
  const rawModes: boolean[] = [];
  const terminal: TerminalControl = {
    setRawMode: (raw) => rawModes.push(raw),
    size: () => size,
    onResize: (listener) => {
      resizeListeners.add(listener);
      return () => resizeListeners.delete(listener);
    },
  };
  const io: CliIo = {
    stdout,
    stderr: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stdin: keys.stdin,
    env: { HOME: home, ARKER_BASE_URL: fake.url!, ARKER_API_KEY: fake.apiKey },
    stdoutIsTTY: true,
    stderrIsTTY: true,
    stdinIsTTY: true,
    terminal,
  };
  const code = runCli(args, io);
  return {
    code,
    rawModes,
    keys,
    screen: () => screen,
    resize(cols: number, rows: number) {
      size = { cols, rows };
      for (const listener of resizeListeners) listener();
    },
    waitFor(text: string, from = 0): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (screen.indexOf(text, from) < 0) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(screen)}`));
        }, 5000);
        waiters.add(check);
        check();
      });
    },
  };
}

describe("arker shell", () => {
  it("on a terminal: raw mode, keys through, the window size follows, exit's code", async () => {
    const vm = await forkVm();
    const shell = onTerminal(["shell", vm]);
    await shell.waitFor("$ ");
    expect(shell.rawModes).toEqual([true]);
    shell.keys.type("stty size\r");
    await shell.waitFor("24 80\r\n");
    shell.resize(120, 40);
    shell.keys.type("stty size\r");
    await shell.waitFor("40 120\r\n");
    shell.keys.type("sleep 500\r");
    await shell.waitFor("sleep 500\r\n");
    const mark = shell.screen().length;
    shell.keys.type("\u0003");
    await shell.waitFor("$ ", mark);
    shell.keys.type("exit\r");
    expect(await shell.code).toBe(130);
    expect(shell.rawModes).toEqual([true, false]);
    shell.keys.end();
  });

  it("piped stdin runs as typed and ends with Ctrl-D: the shell's last status", async () => {
    const vm = await forkVm();
    const piped = await cli(["shell", vm], { stdin: "cd /tmp\npwd\necho $((6*7))\nfalse\n" });
    expect(piped.text).toContain("$ pwd\r\n/tmp\r\n");
    expect(piped.text).toContain("$ echo $((6*7))\r\n42\r\n");
    expect(piped.code).toBe(1);
    const exited = await cli(["shell", vm], { stdin: "exit 5\n" });
    expect(exited.code).toBe(5);
  });

  it("--command, --cwd, --session, --no-persist and --json", async () => {
    const vm = await forkVm();
    const command = await cli(["shell", vm, "--command", "echo one; exit 3"]);
    expect(command.text).toBe("one\r\n");
    expect(command.code).toBe(3);
    const cwd = await cli(["shell", vm, "--cwd", "/etc", "--command", "pwd"]);
    expect(cwd.text).toBe("/etc\r\n");
    const session = (await cli(["sessions", "create", vm, "--cwd", "/usr"])).text.trim();
    const inSession = await cli(["shell", vm, "--session", session, "--command", "pwd"]);
    expect(inSession.text).toBe("/usr\r\n");
    const json = await cli(["shell", vm, "--json", "--command", "true"]);
    expect(JSON.parse(json.text.slice(json.text.indexOf("{")))).toEqual({
      vm_id: vm,
      exit_code: 0,
    });
    const gone = await cli(["shell", vm, "--session", session, "--no-persist"], { stdin: "" });
    expect(gone.code).toBe(0);
    expect((await cli(["sessions", "get", vm, session])).code).not.toBe(0);
  });

  it("opens the terminal at the window's size", async () => {
    const vm = await forkVm();
    const shell = onTerminal(["shell", vm], { cols: 100, rows: 30 });
    await shell.waitFor("$ ");
    shell.keys.type("stty size\r");
    await shell.waitFor("30 100\r\n");
    shell.keys.type("exit\r");
    expect(await shell.code).toBe(0);
    shell.keys.end();
  });

  it("with a VM given: no fork, nothing on stderr, the VM's first session, none created", async () => {
    const vm = await forkVm();
    const second = (await cli(["sessions", "create", vm, "--cwd", "/usr"])).text.trim();
    const sessionsBefore = (await cli(["sessions", "ls", vm, "--json"])).json<{
      sessions: Array<{ session_id: string }>;
    }>().sessions;
    expect(sessionsBefore.map((session) => session.session_id)).toContain(second);
    const run = await cli(["shell", vm, "--command", "pwd"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.text).not.toBe("/usr\r\n");
    expect(run.text).toMatch(/^\/\S*\r\n$/);
    const sessionsAfter = (await cli(["sessions", "ls", vm, "--json"])).json<{
      sessions: unknown[];
    }>().sessions;
    expect(sessionsAfter).toHaveLength(sessionsBefore.length);
  });

  it("without a VM forks ubuntu-full and says so", async () => {
    const run = await cli(["shell", "--command", "hostname"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/forked vm_\w+ from ubuntu-full/);
  });
});

describe.runIf(hasScript)("arker shell in a real pseudo-terminal (script)", () => {
  it("echoes, runs, forwards Ctrl-C and exits with the shell's code", async () => {
    requireBuiltBinary();
    const vm = await forkVm();
    const command = [process.execPath, BIN, "shell", vm].map(quoteShellArgument).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        TERM: "xterm-256color",
        ARKER_BASE_URL: fake.url,
        ARKER_API_KEY: fake.apiKey,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    const waiters = new Set<() => void>();
    // The local pty's own output processing may add a \r before each \n: compare lines.
    const onData = (chunk: Buffer) => {
      screen = (screen + chunk.toString("utf8")).replace(/\r+\n/g, "\n");
      for (const waiter of waiters) waiter();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const waitFor = (text: string, from = 0) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (screen.indexOf(text, from) < 0) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(screen)}`));
        }, 8000);
        waiters.add(check);
        check();
      });
    try {
      await waitFor("$ ");
      child.stdin.write("echo $((40+2))\r");
      await waitFor("\n42\n");
      child.stdin.write("sleep 300\r");
      await waitFor("sleep 300\n");
      const mark = screen.length;
      child.stdin.write("\u0003");
      await waitFor("$ ", mark);
      child.stdin.write("exit 9\r");
      expect(await closed).toBe(9);
      expect(screen).not.toContain(fake.apiKey);
    } finally {
      clearTimeout(killer);
      child.kill("SIGKILL");
    }
  }, 30_000);
});

describe("arker run --follow", () => {
  it("streams the output as it comes, \\r\\n written as \\n, and exits with the code", async () => {
    const vm = await forkVm();
    const run = await cli([
      "run",
      vm,
      "--follow",
      "--",
      "for i in 1 2 3; do echo $i; sleep 1; done; exit 4",
    ]);
    expect(run.text).toBe("1\n2\n3\n");
    expect(run.code).toBe(4);
  });

  it("runs in the --session given, or in --cwd with --env", async () => {
    const vm = await forkVm();
    const session = (await cli(["sessions", "create", vm, "--cwd", "/usr"])).text.trim();
    const inSession = await cli(["run", vm, "--follow", "--session", session, "--", "pwd"]);
    expect(inSession.text).toBe("/usr\n");
    const placed = await cli([
      "run",
      vm,
      "--follow",
      "--cwd",
      "/etc",
      "--env",
      "GREETING=hi",
      "--",
      'pwd; echo "$GREETING"',
    ]);
    expect(placed.text).toBe("/etc\nhi\n");
  });

  it("takes no input: a terminal stays in its mode, keys are not read", async () => {
    const vm = await forkVm();
    const run = onTerminal(["run", vm, "--follow", "--", "echo done"]);
    expect(await run.code).toBe(0);
    expect(run.screen()).toBe("done\n");
    expect(run.rawModes).toEqual([]);
    run.keys.end();
  });

  it("refuses flags it cannot honour", async () => {
    const vm = await forkVm();
    const run = await cli(["run", vm, "--follow", "--background", "--", "true"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--follow cannot be used with --background");
  });
});
