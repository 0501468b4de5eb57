import { describe, expect, it } from "vitest";
import {
  BACKLOG_BYTES,
  clampSide,
  Terminal,
  type TerminalClient,
  type TerminalHost,
  type TerminalOptions,
} from "../src/terminal/terminal.js";
import type { TerminalIo } from "../src/terminal/terminal-io.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A host that records what the terminal asks of it; runs end when the test says so. */
class ScriptedHost implements TerminalHost {
  readonly hostname = "box";
  directory = "/home/user";
  readonly runs: Array<{ command: string; io: TerminalIo }> = [];
  readonly interrupted: TerminalIo[] = [];
  readonly endings: number[] = [];

  run(command: string, io: TerminalIo): void {
    this.runs.push({ command, io });
  }
  interrupt(io: TerminalIo): void {
    this.interrupted.push(io);
  }
  cwd(): string {
    return this.directory;
  }
  ended(_terminal: Terminal, exitCode: number): void {
    this.endings.push(exitCode);
  }
  /** The io of the last command started. */
  get last(): TerminalIo {
    return this.runs.at(-1)!.io;
  }
}

/** A client that records the output it is sent and how it was closed. */
class RecordingClient implements TerminalClient {
  output = "";
  exitCode: number | undefined;
  wasReplaced = false;
  send(bytes: Uint8Array): void {
    this.output += decoder.decode(bytes);
  }
  exit(exitCode: number): void {
    this.exitCode = exitCode;
  }
  replaced(): void {
    this.wasReplaced = true;
  }
  /** Takes the output received so far. */
  take(): string {
    const output = this.output;
    this.output = "";
    return output;
  }
}

function open(options: Partial<TerminalOptions> = {}) {
  const host = new ScriptedHost();
  const terminal = new Terminal(host, {
    cols: 80,
    rows: 24,
    command: undefined,
    persist: false,
    ...options,
  });
  const client = new RecordingClient();
  const type = (text: string) => terminal.input(encoder.encode(text));
  return { host, terminal, client, type };
}

const PROMPT = "user@box:~$ ";

describe("Terminal: the shell", () => {
  it("shows the prompt on first attach, with the cwd under /home/user as ~", () => {
    const { host, terminal, client } = open();
    host.directory = "/home/user/src";
    terminal.attach(client);
    expect(client.take()).toBe("user@box:~/src$ ");
    expect(host.runs).toEqual([]);
  });

  it("shows other directories in full, /home/username included", () => {
    for (const directory of ["/tmp", "/home/username", "/"]) {
      const { host, terminal, client } = open();
      host.directory = directory;
      terminal.attach(client);
      expect(client.take()).toBe(`user@box:${directory}$ `);
    }
  });

  it("runs a typed line with the last status, turning its newlines into CR LF", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    client.take();
    type("echo hi\r");
    expect(client.take()).toBe("echo hi\r\n");
    expect(host.runs.map((run) => run.command)).toEqual(["echo hi"]);
    expect(host.last.status).toBe(0);
    host.last.write(encoder.encode("hi\nthere\n"));
    expect(client.take()).toBe("hi\r\nthere\r\n");
    host.last.ended(3, false);
    expect(client.take()).toBe(PROMPT);
    type("false\r");
    expect(host.last.status).toBe(3);
  });

  it("gives the prompt back for a blank line without running it", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    client.take();
    type("   \r");
    expect(client.take()).toBe(`   \r\n${PROMPT}`);
    expect(host.runs).toEqual([]);
  });

  it("ends on exit or logout: with the last status, exit's code modulo 256", () => {
    const cases: Array<[string, number]> = [
      ["exit", 0],
      ["exit 7", 7],
      ["  exit 300 ; ", 44],
      ["exit -1", 255],
      ["logout", 0],
    ];
    for (const [line, code] of cases) {
      const { host, terminal, client, type } = open();
      terminal.attach(client);
      type(`${line}\r`);
      expect([line, client.exitCode]).toEqual([line, code]);
      expect(host.endings).toEqual([code]);
      expect(terminal.ended).toBe(true);
      expect(host.runs).toEqual([]);
    }
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("false\r");
    host.last.ended(1, false);
    type("exit\r");
    expect(client.exitCode).toBe(1);
    // A line that only starts like exit is a command.
    const other = open();
    other.terminal.attach(other.client);
    other.type("exit 1 2\r");
    expect(other.host.runs.map((run) => run.command)).toEqual(["exit 1 2"]);
    expect(other.terminal.ended).toBe(false);
  });

  it("ends when the line ran exit, with the run's code", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("true && exit 4\r");
    host.last.ended(4, true);
    expect(client.exitCode).toBe(4);
    expect(terminal.ended).toBe(true);
  });

  it("queues lines typed while a command runs and runs them in turn, echoed after a prompt", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    type("echo next\r");
    expect(host.runs.map((run) => run.command)).toEqual(["sleep 1"]);
    client.take();
    host.last.ended(0, false);
    expect(client.take()).toBe(`${PROMPT}echo next\r\n`);
    expect(host.runs.map((run) => run.command)).toEqual(["sleep 1", "echo next"]);
  });

  it("shows what was typed ahead but not submitted after the next prompt", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    type("ech");
    client.take();
    host.last.ended(0, false);
    expect(client.take()).toBe(`${PROMPT}ech`);
  });

  it("ignores output and the end of a command that is no longer the running one", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    const first = host.last;
    first.ended(0, false);
    type("sleep 2\r");
    client.take();
    first.write(encoder.encode("late"));
    first.ended(5, false);
    expect(client.take()).toBe("");
    type("\u0003");
    expect(host.interrupted).toEqual([host.last]);
  });

  it("Ctrl-C interrupts the running command and drops the lines typed ahead", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    type("echo queued\r\u0003");
    expect(host.interrupted).toEqual([host.last]);
    host.last.ended(130, false);
    expect(host.runs.map((run) => run.command)).toEqual(["sleep 1"]);
    expect(client.take()).toMatch(/\^C\r\nuser@box:~\$ $/);
  });

  it("Ctrl-C at the prompt gives a new prompt and sets the status to 130", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    client.take();
    type("abc\u0003");
    expect(client.take()).toBe(`abc^C\r\n${PROMPT}`);
    type("true\r");
    expect(host.last.status).toBe(130);
  });

  it("Ctrl-D at the prompt ends with the last status", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("false\r");
    host.last.ended(2, false);
    type("\u0004");
    expect(client.exitCode).toBe(2);
    expect(host.endings).toEqual([2]);
  });

  it("Ctrl-D typed while a command runs ends the shell when it finishes, with its code", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r\u0004");
    expect(terminal.ended).toBe(false);
    host.last.ended(6, false);
    expect(client.exitCode).toBe(6);
  });

  it("Ctrl-L clears the screen and redraws the prompt and line, not while a command runs", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("ab");
    client.take();
    type("\u000c");
    expect(client.take()).toBe(`\u001b[H\u001b[2J${PROMPT}ab`);
    type("\r\u000c");
    expect(client.take()).toBe("\r\n");
    expect(host.runs).toHaveLength(1);
  });

  it("decodes a character whose UTF-8 bytes come in two inputs", () => {
    const { terminal, client } = open();
    terminal.attach(client);
    client.take();
    const bytes = encoder.encode("é");
    terminal.input(bytes.subarray(0, 1));
    terminal.input(bytes.subarray(1));
    expect(client.take()).toBe("é");
  });

  it("never sends an empty chunk, even when it redraws an empty line", () => {
    const host = new ScriptedHost();
    const terminal = new Terminal(host, { cols: 80, rows: 24, command: undefined, persist: true });
    const chunks: Uint8Array[] = [];
    const client: TerminalClient = {
      send: (bytes) => chunks.push(bytes),
      exit: () => undefined,
      replaced: () => undefined,
    };
    terminal.attach(client);
    terminal.input(encoder.encode("\u000c"));
    terminal.attach({ ...client });
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.filter((chunk) => chunk.byteLength === 0)).toEqual([]);
  });

  it("input after the end is ignored", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    terminal.kill();
    client.take();
    type("echo x\r");
    expect(client.take()).toBe("");
    expect(host.runs).toEqual([]);
  });
});

describe("Terminal: one command", () => {
  it("starts the command on first attach without a prompt and ends with its code", () => {
    const { host, terminal, client, type } = open({ command: "make" });
    terminal.attach(client);
    expect(host.runs.map((run) => run.command)).toEqual(["make"]);
    expect(client.take()).toBe("");
    type("typed\r");
    expect(client.take()).toBe("");
    host.last.ended(2, false);
    expect(client.exitCode).toBe(2);
    expect(host.endings).toEqual([2]);
  });

  it("Ctrl-C interrupts it; a reattach replays nothing new and starts nothing", () => {
    const { host, terminal, client, type } = open({ command: "make", persist: true });
    terminal.attach(client);
    type("x");
    expect(host.interrupted).toEqual([]);
    type("\u0003");
    expect(host.interrupted).toEqual([host.last]);
    const second = new RecordingClient();
    terminal.attach(second);
    expect(second.output).toBe("");
    expect(host.runs).toHaveLength(1);
  });

  it("Ctrl-C after the command ended interrupts nothing", () => {
    const { host, terminal, client, type } = open({ command: "make", persist: true });
    terminal.attach(client);
    host.last.ended(0, false);
    type("\u0003");
    expect(host.interrupted).toEqual([]);
  });
});

describe("Terminal: clients", () => {
  it("a second client replaces the first and gets the prompt and the line typed so far", () => {
    const { terminal, client, type } = open({ persist: true });
    terminal.attach(client);
    type("ls");
    const second = new RecordingClient();
    terminal.attach(second);
    expect(client.wasReplaced).toBe(true);
    expect(second.take()).toBe(`${PROMPT}ls`);
    expect(second.wasReplaced).toBe(false);
  });

  it("keeps output while detached and replays it, instead of a new prompt, on reattach", () => {
    const { host, terminal, client, type } = open({ persist: true });
    terminal.attach(client);
    type("make\r");
    terminal.detach(client);
    host.last.write(encoder.encode("built\n"));
    host.last.ended(0, false);
    const second = new RecordingClient();
    terminal.attach(second);
    expect(second.take()).toBe(`built\r\n${PROMPT}`);
    const third = new RecordingClient();
    terminal.attach(third);
    expect(third.take()).toBe(PROMPT);
  });

  it("a reattach while a command runs shows no prompt", () => {
    const { terminal, client, type } = open({ persist: true });
    terminal.attach(client);
    type("sleep 1\r");
    terminal.detach(client);
    const second = new RecordingClient();
    terminal.attach(second);
    expect(second.take()).toBe("");
  });

  it("keeps the newest BACKLOG_BYTES of output for a detached client, at least one chunk", () => {
    const { host, terminal, client, type } = open({ persist: true });
    terminal.attach(client);
    type("yes\r");
    terminal.detach(client);
    const chunk = "x".repeat(1024);
    for (let index = 0; index < 100; index++) host.last.write(encoder.encode(chunk));
    host.last.write(encoder.encode("end"));
    const second = new RecordingClient();
    terminal.attach(second);
    const replay = second.take();
    expect(replay.endsWith("end")).toBe(true);
    expect(replay.length).toBeLessThanOrEqual(BACKLOG_BYTES);
    expect(replay.length).toBeGreaterThan(BACKLOG_BYTES - chunk.length);

    // Exactly BACKLOG_BYTES in two chunks is kept whole.
    const exact = open({ persist: true });
    exact.terminal.attach(exact.client);
    exact.type("yes\r");
    exact.terminal.detach(exact.client);
    exact.host.last.write(encoder.encode("a".repeat(BACKLOG_BYTES - 1)));
    exact.host.last.write(encoder.encode("b"));
    const whole = new RecordingClient();
    exact.terminal.attach(whole);
    expect(whole.take()).toBe(`${"a".repeat(BACKLOG_BYTES - 1)}b`);

    const big = open({ persist: true });
    big.terminal.attach(big.client);
    big.type("yes\r");
    big.terminal.detach(big.client);
    big.host.last.write(encoder.encode("y".repeat(BACKLOG_BYTES + 10)));
    const late = new RecordingClient();
    big.terminal.attach(late);
    expect(late.take()).toHaveLength(BACKLOG_BYTES + 10);
  });

  it("ends (137) when a non-persistent client leaves; another client leaving changes nothing", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    terminal.detach(new RecordingClient());
    expect(terminal.ended).toBe(false);
    terminal.detach(client);
    expect(terminal.ended).toBe(true);
    expect(host.endings).toEqual([137]);
    expect(host.interrupted).toEqual([host.last]);
    expect(client.exitCode).toBeUndefined();
  });

  it("a persistent terminal outlives its client until persist is turned off", () => {
    const { terminal, client } = open({ persist: true });
    expect(terminal.persist).toBe(true);
    terminal.attach(client);
    terminal.detach(client);
    expect(terminal.ended).toBe(false);
    terminal.persist = false;
    expect(terminal.persist).toBe(false);
    const second = new RecordingClient();
    terminal.attach(second);
    terminal.detach(second);
    expect(terminal.ended).toBe(true);
  });

  it("kill ends once with 137, stopping the command and telling the client", () => {
    const { host, terminal, client, type } = open();
    terminal.attach(client);
    type("sleep 1\r");
    const running = host.last;
    terminal.kill();
    terminal.end(5);
    expect(client.exitCode).toBe(137);
    expect(host.endings).toEqual([137]);
    expect(host.interrupted).toEqual([running]);
    running.ended(0, false);
    expect(host.endings).toEqual([137]);
  });

  it("an idle terminal ends without interrupting anything", () => {
    const { host, terminal, client } = open();
    terminal.attach(client);
    terminal.end(0);
    expect(host.interrupted).toEqual([]);
    expect(client.exitCode).toBe(0);
  });
});

describe("Terminal size", () => {
  it("reports its size to commands and clamps a resize to 1..1000", () => {
    const { host, terminal, client, type } = open({ cols: 100, rows: 30 });
    terminal.attach(client);
    type("stty size\r");
    expect(host.last.size()).toEqual({ cols: 100, rows: 30 });
    terminal.resize(5000, 0);
    expect(host.last.size()).toEqual({ cols: 1000, rows: 1 });
    const size = terminal.size;
    size.cols = 7;
    expect(terminal.size).toEqual({ cols: 1000, rows: 1 });
  });

  it("clampSide truncates, and maps what is not a finite number to 1", () => {
    expect(clampSide(80.9)).toBe(80);
    expect(clampSide(1000)).toBe(1000);
    expect(clampSide(1001)).toBe(1000);
    expect(clampSide(1)).toBe(1);
    expect(clampSide(0)).toBe(1);
    expect(clampSide(-3)).toBe(1);
    expect(clampSide(Number.NaN)).toBe(1);
    expect(clampSide(Number.POSITIVE_INFINITY)).toBe(1);
  });
});
