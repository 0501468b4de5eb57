import { runCli } from "./index";

// A reader that closed the pipe early (`arker sync vm f | head -c 10`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
