/**
 * `pnpm demo`: the README quickstart, exec with `await using` and a folder upload
 * (files-and-exec.ts), then a child fork, a filesystem mounted in two
 * VMs, a background run waited for, a tunnel to a web server in a VM, and an error path — each call printed as it goes
 * on the wire. Runs against an embedded fake Arker server unless ARKER_API_KEY is set.
 */
import { Arker, ArkerError } from "@arker-ai/sdk";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";

const text = new TextDecoder();

async function main(): Promise<void> {
  const fake = process.env.ARKER_API_KEY ? null : await startEmbeddedFake();
  // The SDK's own debug trace prints one line per attempt: method, URL, status, ms.
  process.env.ARKER_LOG ??= "debug";
  try {
    section("Quickstart (README, unchanged)");
    const quickstart = await import("./quickstart");
    check(text.decode(quickstart.data) === "hello\n", "read back what was written");
    check(quickstart.stdout === "4\n", "exec returned the output as text");

    section("exec, await using, a folder up and back");
    await import("./files-and-exec");

    const ar = new Arker({ region: process.env.ARKER_REGION ?? "us-west-2" });
    section("A child fork sees its parent's files");
    const parent = await ar.fork("ubuntu-full", { name: "demo-parent" });
    await parent.sync("/home/user/notes.txt", "from the parent\n");
    const child = await ar.fork(parent, { name: "demo-child" });
    const inherited = text.decode(await child.sync("/home/user/notes.txt"));
    console.log(`child reads: ${inherited.trim()}`);
    check(inherited === "from the parent\n", "child inherited the file");

    section("A filesystem mounted in two VMs");
    const filesystem = await ar.createFilesystem({ name: `demo-${Date.now()}` });
    await parent.createSync({ filesystemId: filesystem.filesystem_id, path: "/mnt/shared" });
    await child.createSync({ filesystemId: filesystem.filesystem_id, path: "/mnt/shared" });
    await parent.run("echo 'written in the parent' > /mnt/shared/hello.txt");
    const shared = await child.run("cat /mnt/shared/hello.txt");
    if (shared.type === "completed")
      console.log(`child sees: ${text.decode(shared.stdout).trim()}`);

    section("A background run, waited for");
    const started = await parent.run("echo done in the background", { background: true });
    if (started.type !== "background") throw new Error("expected a background run");
    const finished = await parent.waitForRun(started.runId, { pollIntervalMs: 50 });
    console.log(
      `run ${finished.runId}: ${finished.state}, exit ${finished.exitCode}, stdout ${JSON.stringify(text.decode(finished.stdout))}`,
    );

    section("A tunnel to a web server in the VM");
    if (fake !== null) {
      // The fake runs no real servers: this handler stands in for one on port 8080.
      fake.tunnels.serve(parent.id, 8080, (request) =>
        Response.json({ hello: "from port 8080", path: new URL(request.url).pathname }),
      );
    } else {
      await parent.run('echo \'{"hello": "from port 8080"}\' > /tmp/index.json');
      await parent.run("cd /tmp && python3 -m http.server 8080", { background: true });
    }
    const tunnel = await parent.createTunnel(8080, { visibility: "public" });
    console.log(`tunnel ${tunnel.port} is ${tunnel.state} at ${tunnel.url}`);
    const answer = await fetch(`${tunnel.url}${fake === null ? "index.json" : "hello"}`);
    const body = await answer.text();
    console.log(`GET through the tunnel: ${answer.status} ${body}`);
    check(answer.ok && body.includes("from port 8080"), "the tunnel reached the server");
    await parent.deleteTunnel(8080);

    section("An error path");
    try {
      await parent.sync("/home/user/missing.txt");
    } catch (error) {
      if (!ArkerError.is(error)) throw error;
      console.log(
        `ArkerError code=${error.code} status=${error.status} request=${error.requestId}`,
      );
      console.log(`message: ${error.message}`);
    }

    section("Clean up");
    await child.delete();
    await parent.delete();
    await ar.deleteFilesystem(filesystem.filesystem_id);
    await ar.close();
    console.log("\ndemo finished");
  } finally {
    await fake?.close();
  }
}

async function startEmbeddedFake(): Promise<FakeArker> {
  const fake = await createFakeArker({ listen: true });
  process.env.ARKER_BASE_URL = fake.url;
  process.env.ARKER_API_KEY = fake.apiKey;
  console.log(`No ARKER_API_KEY set: running against an embedded fake Arker server at ${fake.url}`);
  return fake;
}

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo check failed: ${what}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
