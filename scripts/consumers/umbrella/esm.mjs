import { Arker, ArkerError } from "@arker-ai/sdk";

const ar = new Arker({ region: "us-west-2" });
const vm = await ar.fork("ubuntu-full");
const run = await vm.run("python3 -c 'print(2 + 2)'");
if (run.type !== "completed") throw new Error("expected a completed run");
await vm.sync("/tmp/data.txt", "hello\n");
const data = new TextDecoder().decode(await vm.sync("/tmp/data.txt"));
if (data !== "hello\n") throw new Error(`read back ${JSON.stringify(data)}`);
const fs = await ar.createFilesystem({ name: "consumer-esm" });
await ar.deleteFilesystem(fs.filesystem_id);
await vm.delete();
if (typeof ArkerError.is !== "function") throw new Error("ArkerError not exported");
console.log(`esm: ${new TextDecoder().decode(run.stdout).trim()}`);
await ar.close();
