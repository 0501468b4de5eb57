// The README quickstart, unchanged. `pnpm demo` points it at an embedded fake server
// (through ARKER_BASE_URL / ARKER_API_KEY) unless you set ARKER_API_KEY yourself.
import { Arker } from "@arker-ai/sdk";

const ar = new Arker({ region: "us-west-2" });

// Fork a public golden, run a command, read/write a file.
const vm = await ar.fork("ubuntu-full"); // public golden — org inferred

const run = await vm.run("python3 -c 'print(2 + 2)'");
if (run.type === "completed") console.log(new TextDecoder().decode(run.stdout));

await vm.sync("/tmp/data.txt", "hello\n"); // write
const data = await vm.sync("/tmp/data.txt"); // read -> Uint8Array

await vm.delete();

export { data, run };
