// The README quickstart, unchanged. `pnpm demo` points it at an embedded fake server
// (through ARKER_BASE_URL / ARKER_API_KEY) unless you set ARKER_API_KEY yourself.
import { Arker } from "@arker-ai/sdk";

const ar = new Arker({ region: "us-west-2" });

// Fork a public golden, run a command, read/write a file. `await using` deletes
// the VM when the scope ends, whatever happens in it.
await using vm = await ar.fork("ubuntu-full"); // public golden — org inferred

const { stdout } = await vm.exec("python3 -c 'print(2 + 2)'"); // "4\n"
// a non-zero exit rejects with ArkerError code "command_failed" ({ check: false } returns it)

await vm.sync("/tmp/data.txt", "hello\n"); // write
const data = await vm.sync("/tmp/data.txt"); // read -> Uint8Array

export { data, stdout };
