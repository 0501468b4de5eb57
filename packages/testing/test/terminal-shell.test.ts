// Proves a terminal shell's additions alone: the sink and line-end paths of its filesystem, and stty / tput from the size.
import type { IFileSystem } from "just-bash";
import { describe, expect, it, vi } from "vitest";
import { terminalCommands, terminalFileSystem } from "../src/engine/terminal-shell.js";
import { LINE_END_PATH, TERMINAL_SINK_PATH } from "../src/terminal/stream-script.js";
import type { TerminalIo } from "../src/terminal/terminal-io.js";

function terminal(cols = 80, rows = 24) {
  const write = vi.fn();
  const io = { write, status: 0, size: () => ({ cols, rows }), ended: vi.fn() } as TerminalIo;
  return { io, write };
}

function baseFiles() {
  const appendFile = vi.fn(async () => undefined);
  const files = {
    appendFile,
    marker: 42,
    whoAmI(this: unknown) {
      return this;
    },
  };
  return { files, appendFile };
}

describe("terminalFileSystem", () => {
  it("sends appends to the sink to the terminal, as bytes; text through the shell-output rules", async () => {
    const { files, appendFile } = baseFiles();
    const { io, write } = terminal();
    const wrapped = terminalFileSystem(files as unknown as IFileSystem, () => io, vi.fn());
    await wrapped.appendFile(TERMINAL_SINK_PATH, "héllo\n");
    expect(write).toHaveBeenLastCalledWith(new TextEncoder().encode("héllo\n"));
    await wrapped.appendFile(TERMINAL_SINK_PATH, "\u00ff\u0001");
    expect(write).toHaveBeenLastCalledWith(new Uint8Array([0xff, 0x01]));
    await wrapped.appendFile(TERMINAL_SINK_PATH, new Uint8Array([1, 2, 3]) as never);
    expect(write).toHaveBeenLastCalledWith(new Uint8Array([1, 2, 3]));
    expect(write).toHaveBeenCalledTimes(3);
    expect(appendFile).not.toHaveBeenCalled();
  });

  it("writes nothing for empty output, nor without a terminal", async () => {
    const { files } = baseFiles();
    const { io, write } = terminal();
    const wrapped = terminalFileSystem(files as unknown as IFileSystem, () => io, vi.fn());
    await wrapped.appendFile(TERMINAL_SINK_PATH, "");
    await wrapped.appendFile(TERMINAL_SINK_PATH, new Uint8Array(0) as never);
    expect(write).not.toHaveBeenCalled();
    const detached = terminalFileSystem(files as unknown as IFileSystem, () => undefined, vi.fn());
    await expect(detached.appendFile(TERMINAL_SINK_PATH, "x")).resolves.toBeUndefined();
  });

  it("reports an append to the line-end path and writes nothing anywhere", async () => {
    const { files, appendFile } = baseFiles();
    const { io, write } = terminal();
    const lineEnded = vi.fn();
    const wrapped = terminalFileSystem(files as unknown as IFileSystem, () => io, lineEnded);
    await wrapped.appendFile(LINE_END_PATH, "");
    expect(lineEnded).toHaveBeenCalledTimes(1);
    expect(write).not.toHaveBeenCalled();
    expect(appendFile).not.toHaveBeenCalled();
  });

  it("passes other appends and every other member to the VM's filesystem, methods bound to it", async () => {
    const { files, appendFile } = baseFiles();
    const { io, write } = terminal();
    const lineEnded = vi.fn();
    const wrapped = terminalFileSystem(files as unknown as IFileSystem, () => io, lineEnded);
    await wrapped.appendFile("/tmp/log", "x", { encoding: "utf8" } as never);
    expect(appendFile).toHaveBeenCalledWith("/tmp/log", "x", { encoding: "utf8" });
    expect(write).not.toHaveBeenCalled();
    expect(lineEnded).not.toHaveBeenCalled();
    const members = wrapped as unknown as typeof files;
    expect(members.marker).toBe(42);
    const { whoAmI } = members;
    expect(whoAmI()).toBe(files);
  });
});

describe("terminalCommands", () => {
  const [stty, tput] = terminalCommands(() => terminal(132, 43).io);
  const none = terminalCommands(() => undefined);
  const run = (command: typeof stty, args: string[]) => command!.execute(args, {} as never);

  it("are named stty and tput", () => {
    expect([stty?.name, tput?.name]).toEqual(["stty", "tput"]);
  });

  it("stty size is rows then columns; stty and stty -a show both; other settings pass", async () => {
    expect(await run(stty, ["size"])).toEqual({ stdout: "43 132\n", stderr: "", exitCode: 0 });
    const all = {
      stdout: "speed 38400 baud; rows 43; columns 132; line = 0;\n",
      stderr: "",
      exitCode: 0,
    };
    expect(await run(stty, [])).toEqual(all);
    expect(await run(stty, ["-a"])).toEqual(all);
    expect(await run(stty, ["raw", "-a"])).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("stty without a terminal fails as on a pipe", async () => {
    expect(await run(none[0], ["size"])).toEqual({
      stdout: "",
      stderr: "stty: 'standard input': Inappropriate ioctl for device\n",
      exitCode: 1,
    });
  });

  it("tput cols and lines answer the size; anything else, or no terminal, fails naming it", async () => {
    expect(await run(tput, ["cols"])).toEqual({ stdout: "132\n", stderr: "", exitCode: 0 });
    expect(await run(tput, ["lines"])).toEqual({ stdout: "43\n", stderr: "", exitCode: 0 });
    const unknown = (name: string) => ({
      stdout: "",
      stderr: `tput: unknown capability '${name}'\n`,
      exitCode: 1,
    });
    expect(await run(tput, ["colors"])).toEqual(unknown("colors"));
    expect(await run(tput, [])).toEqual(unknown(""));
    expect(await run(none[1], ["cols"])).toEqual(unknown("cols"));
    expect(await run(none[1], ["lines"])).toEqual(unknown("lines"));
  });
});
