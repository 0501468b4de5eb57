// `pnpm demo` runs this after the quickstart: exec, `await using` and a folder upload
// and download, against the embedded fake unless ARKER_API_KEY is set.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Arker, ArkerError } from "@arker-ai/sdk";

const ar = new Arker({ region: process.env.ARKER_REGION ?? "us-west-2" });
const local = await mkdtemp(join(tmpdir(), "arker-example-"));
try {
  // A small project on the local disk: a script (executable) and a module.
  await mkdir(join(local, "project", "lib"), { recursive: true });
  await writeFile(
    join(local, "project", "lib", "greet.py"),
    "def greet(name):\n    return f'hello {name}'\n",
  );
  await writeFile(
    join(local, "project", "main.py"),
    "from lib.greet import greet\nprint(greet('vm'))\n",
    { mode: 0o755 },
  );

  await using vm = await ar.fork("ubuntu-full"); // deleted when this scope ends

  // One call for the whole folder (one archive, extracted in the VM; modes kept).
  const sent = await vm.upload(join(local, "project"), "/home/user/project");
  console.log(`uploaded ${sent.entries} entries, ${sent.bytes} bytes`);

  // Many files in as few calls as the limits allow.
  await vm.writeFiles([
    { path: "/home/user/project/data/a.txt", data: "alpha\n" },
    { path: "/home/user/project/data/b.txt", data: "beta\n" },
  ]);

  // exec: text output, and a failure is an ArkerError (command_failed) carrying the run.
  const { stdout } = await vm.exec(
    "cd /home/user/project && cat data/a.txt data/b.txt && stat -c 'main.py mode %a' main.py",
  );
  console.log(stdout.trim());
  try {
    await vm.exec("cat /home/user/project/missing.txt");
  } catch (error) {
    if (!(ArkerError.is(error) && error.code === "command_failed")) throw error;
    console.log(`as expected: ${error.message}`);
  }
  const failed = await vm.exec("exit 3", { check: false });
  console.log(`exit code without check: ${failed.exitCode}`);

  // And back: the folder, as the VM now has it.
  await vm.download("/home/user/project", join(local, "back"));
  const back = await readFile(join(local, "back", "data", "b.txt"), "utf8");
  if (back !== "beta\n") throw new Error(`downloaded ${JSON.stringify(back)}`);
  console.log("downloaded the folder back");
} finally {
  await rm(local, { recursive: true, force: true });
  await ar.close();
}
