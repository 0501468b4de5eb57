import { randomUUID } from "node:crypto";
import { Arker } from "@arker-ai/sdk";
import { Pool, request } from "undici";
import { childScript, startServer } from "./lib/child.js";
import { medianLatencyMs } from "./lib/timing.js";

const server = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
const { url, apiKey } = server.info;
const ar = new Arker({ apiKey, baseUrl: url });
const vm = await ar.fork("ubuntu");
const pool = new Pool(url, { connections: 64 });
const body = JSON.stringify({ command: "true" });
const raw = async () =>
  (
    await request(`${url}/v1/vms/${vm.id}/runs`, {
      dispatcher: pool,
      method: "POST",
      headers: {
        authorization: `Bearer ${apiKey}`,
        accept: "application/json",
        "user-agent": "arker-sdk-typescript",
        "content-type": "application/json",
        "idempotency-key": randomUUID(),
      },
      body,
    })
  ).body.json();
const mode = process.argv[2];
for (let i = 0; i < 3; i++) {
  if (mode !== "sdk") console.log("raw", (await medianLatencyMs(raw, 2000)).toFixed(3));
  if (mode !== "raw")
    console.log("sdk", (await medianLatencyMs(() => vm.run("true"), 2000)).toFixed(3));
}
await ar.close();
await pool.close();
await server.stop();
