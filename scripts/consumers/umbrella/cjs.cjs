const { Arker, ArkerError } = require("@arker-ai/sdk");

(async () => {
  const ar = new Arker({ region: "us-west-2" });
  const vm = await ar.fork("ubuntu-full");
  const run = await vm.run("python3 -c 'print(2 + 2)'");
  if (run.type !== "completed") throw new Error("expected a completed run");
  try {
    await vm.sync("/tmp/missing");
    throw new Error("expected not_found");
  } catch (error) {
    if (!ArkerError.is(error) || error.code !== "not_found") throw error;
  }
  await vm.delete();
  console.log(`cjs: ${new TextDecoder().decode(run.stdout).trim()}`);
  await ar.close();
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
