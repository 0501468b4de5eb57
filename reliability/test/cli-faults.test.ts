import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliOutput, ensureCliBuilt, runCli } from "./lib/cli";
import { SOAK, startFake } from "./lib/connect";
import { FAULTS } from "./lib/fault-mix";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { patternBytes, Rng, sha256 } from "./lib/random";
import { RequestTally } from "./lib/request-tally";

const LANES = 4;
const RUNS_PER_LANE = SOAK ? 30 : 6;
const FILES_PER_LANE = SOAK ? 12 : 3;
/** Codes a command may end with once the SDK's retries (4 tries by default) ran out. */
const TRANSIENT = new Set(["network_error", "unavailable", "rate_limited"]);

const figures = createFigures(
  "cli-faults",
  `The \`arker\` command (its built bin, default retries) against the fake with the chaos suite's fault mix (20 % on every route): ${LANES} lanes of fork, ${RUNS_PER_LANE} runs and ${FILES_PER_LANE} file round trips (0 B to 4 MiB + 1) each, with \`--json --debug\` (retries counted from the trace). No duplicate VM or execution, files byte-identical, every failure a transient code with exit 1 and a JSON error.`,
);
afterAll(() => saveFigures(figures));

describe("the CLI under faults", () => {
  it("forks, runs and file round trips: once each, bytes intact, failures well-formed", async () => {
    ensureCliBuilt();
    const fake = await startFake({ listen: true, seed: 777 });
    const tally = new RequestTally(fake);
    const executions = new Map<string, number>();
    fake.commands.on(/^mark /, ({ command }) => {
      executions.set(command, (executions.get(command) ?? 0) + 1);
      return { stdout: `ok ${command}\n` };
    });
    for (const rule of FAULTS) fake.faults.add(rule);
    const home = mkdtempSync(join(tmpdir(), "arker-cli-faults-"));
    const env = {
      HOME: home,
      ARKER_CONFIG_DIR: join(home, ".arker"),
      ARKER_BASE_URL: fake.url!,
      ARKER_API_KEY: fake.apiKey,
      NO_COLOR: "1",
    };
    const defects: string[] = [];
    const failures: Record<string, number> = {};
    const forked = new Map<string, string>();
    const runCalls: Array<{ command: string; ok: boolean }> = [];
    let filesChecked = 0;
    /** Runs one command; a failure must be a transient code, exit 1, with a JSON error. */
    const cli = async (args: string[]): Promise<CliOutput | null> => {
      figures.operations++;
      const output = await runCli(["--json", "--debug", ...args], env);
      // The SDK's trace on stderr announces each retry.
      figures.retries += output.stderr
        .split("\n")
        .filter((line) => line.startsWith("arker retry ")).length;
      if (output.code === 0) return output;
      let code = "unparsable";
      try {
        code = (JSON.parse(output.stdout) as { error: { code: string } }).error.code;
      } catch {
        defects.push(`arker ${args.join(" ")}: exit ${output.code}, stdout not a JSON error`);
      }
      bump(failures, code);
      if (!TRANSIENT.has(code) || output.code !== 1)
        defects.push(
          `arker ${args.join(" ")}: exit ${output.code}, ${code}: ${output.stderr.slice(0, 120)}`,
        );
      return null;
    };
    try {
      await Promise.all(
        Array.from({ length: LANES }, async (_, lane) => {
          const rng = new Rng(lane + 1);
          const name = `cli-${lane}`;
          let vmId: string | undefined;
          for (let attempt = 0; attempt < 3 && vmId === undefined; attempt++) {
            const fork = await cli(["fork", "ubuntu-full", "--name", name]);
            if (fork) vmId = (JSON.parse(fork.stdout) as { vm_id: string }).vm_id;
          }
          if (vmId === undefined) return;
          forked.set(name, vmId);
          for (let run = 0; run < RUNS_PER_LANE; run++) {
            const command = `mark ${lane}-${run}`;
            const output = await cli(["run", vmId, "--", command]);
            runCalls.push({ command, ok: output !== null });
            if (
              output &&
              (JSON.parse(output.stdout) as { stdout: string }).stdout !== `ok ${command}\n`
            )
              defects.push(`${command}: wrong output ${output.stdout.slice(0, 80)}`);
          }
          for (let file = 0; file < FILES_PER_LANE; file++) {
            const size = rng.pick([0, 1_000, 65_536, 4 * 1024 * 1024 + 1]);
            const bytes = patternBytes(size, lane * 100 + file);
            const local = join(home, `lane-${lane}-${file}.bin`);
            writeFileSync(local, bytes);
            const remote = `/data/f-${lane}-${file}.bin`;
            if ((await cli(["sync", vmId, remote, local])) === null) continue;
            figures.operations++;
            // Raw bytes on stdout (no --json) for the read.
            const read = await runCli(["sync", vmId, remote], env);
            if (read.code !== 0) {
              bump(failures, "read");
              if (read.code !== 1) defects.push(`read ${remote}: exit ${read.code}`);
              continue;
            }
            filesChecked++;
            if (sha256(read.stdoutBytes) !== sha256(bytes)) {
              figures.bytesLost += size;
              defects.push(
                `read ${remote}: ${read.stdoutBytes.byteLength} bytes, expected ${size}`,
              );
            }
          }
        }),
      );
    } finally {
      fake.faults.clear();
      tally.stop();
      rmSync(home, { recursive: true, force: true });
    }
    const names = fake.vms.map((vm) => vm.name ?? "").filter((name) => name.startsWith("cli-"));
    const vmDuplicates = names.length - new Set(names).size;
    let runDuplicates = 0;
    let runsLost = 0;
    for (const { command, ok } of runCalls) {
      const count = executions.get(command) ?? 0;
      runDuplicates += Math.max(0, count - 1);
      if (ok && count !== 1) runsLost++;
    }
    await fake.close();

    figures.requests = tally.requests;
    figures.faults = tally.faults;
    figures.duplicates = vmDuplicates + runDuplicates;
    figures.notes = {
      "runs executed / run commands that succeeded / run commands": `${[...executions.values()].reduce((a, b) => a + b, 0)} / ${runCalls.filter((r) => r.ok).length} / ${runCalls.length}`,
      "file round trips verified byte-identical (sha256)": filesChecked,
      "commands that failed after the SDK's retries (all transient)":
        Object.keys(failures).length === 0 ? "none" : JSON.stringify(failures),
    };
    expect(defects).toEqual([]);
    expect(vmDuplicates).toBe(0);
    expect(runDuplicates).toBe(0);
    expect(runsLost).toBe(0);
    expect(figures.bytesLost).toBe(0);
    expect(forked.size).toBe(LANES);
    expect(filesChecked).toBeGreaterThan(0);
    expect(Object.keys(tally.faults).length).toBeGreaterThanOrEqual(4);
  });
});
