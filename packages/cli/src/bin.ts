import { processIo, runCli } from "./index";
import { handleInterrupts, interruptGraceMs } from "./support/interrupts";

// A reader that closed the pipe early (`arker sync vm f | head -c 10`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const io = processIo();
const interrupts = handleInterrupts(
  process,
  io.stderr,
  io.stderrIsTTY,
  interruptGraceMs(process.env),
);
void runCli(process.argv.slice(2), { ...io, signal: interrupts.signal }).then((code) => {
  process.exitCode = interrupts.exitCode(code);
});
