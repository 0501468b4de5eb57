/** The downstream code under test: fork, run a build step, read its output file. */
export async function buildReport(ar) {
  const vm = await ar.fork("ubuntu-full", { name: "report" });
  try {
    const run = await vm.run("python3 train.py > /tmp/report.txt");
    if (run.type !== "completed" || run.exitCode !== 0) throw new Error("build step failed");
    return new TextDecoder().decode(await vm.sync("/tmp/report.txt"));
  } finally {
    await vm.delete();
  }
}
