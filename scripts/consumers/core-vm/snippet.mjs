import { ArkerClient } from "@arker-ai/core";
import { VmClient } from "@arker-ai/vm";

const client = new ArkerClient({ region: "us-west-2" });
const vms = new VmClient(client);
const vm = await vms.fork("ubuntu-full");
const run = await vm.run("python3 -c 'print(2 + 2)'");
if (run.type !== "completed") throw new Error("expected a completed run");
await vm.delete();
console.log(`core+vm: ${new TextDecoder().decode(run.stdout).trim()}`);
await client.close();
