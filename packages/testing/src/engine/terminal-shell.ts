import { defineCommand, type IFileSystem } from "just-bash";
import { LINE_END_PATH, TERMINAL_SINK_PATH } from "../terminal/stream-script.js";
import type { TerminalIo } from "../terminal/terminal-io.js";
import { shellOutputBytes, toBytes } from "./output.js";

/**
 * What a terminal's shell adds to the VM's shell: its output path caught on the way to
 * the filesystem and handed to the terminal as it comes, and `stty` / `tput` answering
 * from the terminal's size.
 *
 * @module
 */

type CurrentTerminal = () => TerminalIo | undefined;

/**
 * The VM's filesystem with appends to {@link TERMINAL_SINK_PATH} sent to the terminal,
 * and an append to {@link LINE_END_PATH} reported to `lineEnded`.
 */
export function terminalFileSystem(
  files: IFileSystem,
  current: CurrentTerminal,
  lineEnded: () => void,
): IFileSystem {
  const appendFile: IFileSystem["appendFile"] = async (path, content, options) => {
    if (path === LINE_END_PATH) {
      lineEnded();
      return;
    }
    if (path !== TERMINAL_SINK_PATH) return files.appendFile(path, content, options);
    const text = typeof content === "string" ? content : undefined;
    const bytes = text === undefined ? toBytes(content as Uint8Array) : shellOutputBytes(text);
    if (bytes.byteLength > 0) current()?.write(bytes);
  };
  return new Proxy(files, {
    get(target, property) {
      if (property === "appendFile") return appendFile;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** `stty size` (rows cols) and `stty -a`'s size part; other settings are accepted and ignored. */
function sttyCommand(current: CurrentTerminal) {
  return defineCommand("stty", async (args) => {
    const terminal = current();
    if (terminal === undefined)
      return {
        stdout: "",
        stderr: "stty: 'standard input': Inappropriate ioctl for device\n",
        exitCode: 1,
      };
    const { cols, rows } = terminal.size();
    if (args[0] === "size") return { stdout: `${rows} ${cols}\n`, stderr: "", exitCode: 0 };
    if (args.length === 0 || args[0] === "-a")
      return {
        stdout: `speed 38400 baud; rows ${rows}; columns ${cols}; line = 0;\n`,
        stderr: "",
        exitCode: 0,
      };
    return { stdout: "", stderr: "", exitCode: 0 };
  });
}

/** `tput cols` and `tput lines`. */
function tputCommand(current: CurrentTerminal) {
  return defineCommand("tput", async (args) => {
    const size = current()?.size();
    if (size !== undefined && args[0] === "cols")
      return { stdout: `${size.cols}\n`, stderr: "", exitCode: 0 };
    if (size !== undefined && args[0] === "lines")
      return { stdout: `${size.rows}\n`, stderr: "", exitCode: 0 };
    return { stdout: "", stderr: `tput: unknown capability '${args[0] ?? ""}'\n`, exitCode: 1 };
  });
}

/** The commands a terminal's shell adds. */
export function terminalCommands(current: CurrentTerminal) {
  return [sttyCommand(current), tputCommand(current)];
}
