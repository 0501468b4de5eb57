import { describe, expect, it } from "vitest";
import { cliOnSharedFake } from "./harness";

const cli = cliOnSharedFake();

describe.concurrent("arker run's arguments", () => {
  it("flags with a value before -- are skipped with their value when looking for the VM", async () => {
    for (const flags of [["--timeout", "5"], ["--cwd", "/tmp", "--env", "A=1"], ["--background"]]) {
      const result = await cli(["run", ...flags, "--", "echo", "hi"]);
      expect(result.code, flags.join(" ")).toBe(2);
      expect(result.stderr).toContain("missing VM argument: the VM comes before --");
    }
  });

  it("the command may come without --", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const result = await cli(["run", vm, "echo", "hi"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.text).toBe("hi\n");
    // A -- before the command word ends the global options, not run's.
    const early = await cli(["--", "run", vm, "echo", "hi"]);
    expect(early.code, early.stderr).toBe(0);
    expect(early.text).toBe("hi\n");
  });

  it("--follow --json prints the exit code document", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const result = await cli(["run", vm, "--follow", "--json", "--", "sh", "-c", "exit 3"]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.json()).toEqual({ exit_code: 3 });
  });
});
