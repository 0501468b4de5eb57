import { WebSocket } from "undici";
import { childScript, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { loadSdk } from "../lib/packages.js";
import { atMost, notRun, type RowResult } from "../lib/result.js";
import { pairedRounds } from "../lib/rounds.js";
import { median } from "../lib/stats.js";
import { alternateCalls, type Call } from "../lib/timing.js";

/**
 * Row 6: keystroke echo through `vm.pty` (issue 15). One key typed into a shell's
 * terminal on the listening fake (its own process) until its echo comes back, vs one
 * byte sent to a bare WebSocket echo server (its own process) until it comes back, over
 * undici's WebSocket (the client the SDK uses). Sides alternate key by key.
 *
 * @module
 */

const GOAL = 1.5;
const TITLE = "PTY keystroke echo round trip (vm.pty vs a bare WebSocket echo)";
const KEY = new Uint8Array([0x61]);

/** A queue of a socket's messages that a call can await one at a time. */
function messages(socket: WebSocket): () => Promise<unknown> {
  const queued: unknown[] = [];
  let waiting: ((value: unknown) => void) | undefined;
  socket.addEventListener("message", (event) => {
    if (waiting === undefined) queued.push(event.data);
    else {
      const resolve = waiting;
      waiting = undefined;
      resolve(event.data);
    }
  });
  return () =>
    queued.length > 0
      ? Promise.resolve(queued.shift())
      : new Promise((resolve) => {
          waiting = resolve;
        });
}

async function openBare(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("echo server refused")), {
      once: true,
    });
  });
  return socket;
}

/** Median keystroke round trip through the SDK's PTY and through a bare echo, alternating. */
export async function runPtyEcho(context: BenchContext): Promise<RowResult[]> {
  const sdk = await loadSdk();
  if (!sdk.ok) return [notRun(6, "pty-echo", TITLE, `ratio ≤ ${GOAL}`, "skipped", sdk.reason)];
  const fakeServer = await startServer<{ url: string; apiKey: string }>(
    childScript("fake-server.ts"),
  );
  const echoServer = await startServer<{ url: string }>(childScript("ws-echo-server.ts"));
  const arker = new sdk.module.Arker({
    apiKey: fakeServer.info.apiKey,
    baseUrl: fakeServer.info.url,
  });
  let bare: WebSocket | undefined;
  try {
    const vm = await arker.fork("ubuntu");
    const session = await vm.createSession();
    const pty = await vm.pty({ sessionId: session.session_id });
    const output = pty[Symbol.asyncIterator]();
    // The prompt first, so every later chunk is one key's echo.
    await output.next();
    bare = await openBare(echoServer.info.url);
    const nextEcho = messages(bare);
    const socket = bare;
    const ptyCall: Call = async () => {
      pty.write(KEY);
      const echoed = await output.next();
      if (echoed.done === true) throw new Error("the terminal closed");
    };
    const bareCall: Call = async () => {
      socket.send(KEY);
      await nextEcho();
    };
    const keys = context.pick(400, 50);
    const rounds = context.pick(7, 3);
    context.log(`row 6: ${rounds} rounds × ${keys} keys per side, alternating key by key`);
    const result = await pairedRounds(
      async () => {
        const [raw, viaPty] = await alternateCalls([bareCall, ptyCall], keys);
        // Clear the typed line between rounds (not timed): Ctrl-U.
        pty.write("\u0015");
        await output.next();
        return { baseline: median(raw!), subject: median(viaPty!) };
      },
      { warmupRounds: 1, rounds },
    );
    pty.close();
    const verdict = atMost(result.medianRatio, GOAL);
    return [
      {
        row: 6,
        id: "pty-echo",
        title: TITLE,
        baseline: {
          label: "undici WebSocket to a bare ws echo server",
          value: result.medianBaseline,
          unit: "ms",
        },
        subject: { label: "SDK vm.pty key echo", value: result.medianSubject, unit: "ms" },
        ratio: result.medianRatio,
        goal: `ratio ≤ ${GOAL}`,
        ...verdict,
        status: "measured",
        note: `median round trip of ${keys} single keys per side and round, alternating key by key, ${rounds} rounds; both servers in their own processes`,
        details: { ratios: result.ratios, baselineMs: result.baseline, subjectMs: result.subject },
      },
    ];
  } finally {
    bare?.close();
    await arker.close();
    await fakeServer.stop();
    await echoServer.stop();
  }
}
