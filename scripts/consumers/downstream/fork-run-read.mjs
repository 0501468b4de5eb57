/**
 * The downstream code under test: fork a VM, upload words, count them with a shell
 * pipeline that writes a report file, then run a training step and read the report.
 */
export async function countWords(ar, words) {
  const vm = await ar.fork("ubuntu-full", { name: "word-count" });
  try {
    await vm.sync("/home/user/words.txt", `${words.join("\n")}\n`);
    const count = await vm.run("sort words.txt | uniq -c | sort -rn > /tmp/report.txt");
    if (count.type !== "completed" || count.exitCode !== 0) throw new Error("counting failed");
    const train = await vm.run("python3 train.py --input /tmp/report.txt");
    if (train.type !== "completed" || train.exitCode !== 0) throw new Error("training failed");
    return {
      report: new TextDecoder().decode(await vm.sync("/tmp/report.txt")),
      training: new TextDecoder().decode(train.stdout),
    };
  } finally {
    await vm.delete();
  }
}
