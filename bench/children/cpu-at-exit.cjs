// Preloaded (`node -r`) into a timed process: prints the process's own CPU time (user +
// system, every thread, since it started) on stderr as it exits. CPU time is what a
// busy shared machine disturbs least, so start-up rows report it next to wall time.
process.on("exit", () => {
  const usage = process.cpuUsage();
  require("node:fs").writeSync(2, `\nCPU_MS ${(usage.user + usage.system) / 1000}\n`);
});
