import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinCommand, quoteShellArgument } from "../src/support/shell-quote";

/** What a real POSIX shell makes of a command string: its argv, one per NUL. */
function shellArgv(command: string): string[] {
  const output = execFileSync("sh", ["-c", `set -- ${command}; printf '%s\\0' "$@"`], {
    encoding: "utf8",
  });
  return output.split("\0").slice(0, -1);
}

describe("quoteShellArgument", () => {
  it("leaves safe words alone", () => {
    expect(quoteShellArgument("ls")).toBe("ls");
    expect(quoteShellArgument("/usr/bin/env")).toBe("/usr/bin/env");
    expect(quoteShellArgument("K=V,a.b@c:d%e+f-g")).toBe("K=V,a.b@c:d%e+f-g");
  });

  it("single-quotes anything else", () => {
    expect(quoteShellArgument("exit 3")).toBe("'exit 3'");
    expect(quoteShellArgument("$HOME")).toBe("'$HOME'");
    expect(quoteShellArgument("a;b")).toBe("'a;b'");
    expect(quoteShellArgument("*")).toBe("'*'");
    expect(quoteShellArgument("~")).toBe("'~'");
  });

  it("escapes single quotes and quotes the empty string", () => {
    expect(quoteShellArgument("it's")).toBe("'it'\\''s'");
    expect(quoteShellArgument("")).toBe("''");
  });

  it("round-trips any argv through a real sh", () => {
    const word = fc
      .string({ unit: "grapheme", maxLength: 12 })
      .filter((text) => !text.includes("\0"));
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 5 }), (argv) => {
        expect(shellArgv(joinCommand(argv))).toEqual(argv);
      }),
      { numRuns: 60 },
    );
  });
});

describe("joinCommand", () => {
  it("quotes each word of a multi-word command", () => {
    expect(joinCommand(["sh", "-c", "exit 3"])).toBe("sh -c 'exit 3'");
    expect(joinCommand(["echo", "a b", "", "c'd"])).toBe("echo 'a b' '' 'c'\\''d'");
  });

  it("sends a single word unchanged, so it reaches the remote shell", () => {
    expect(joinCommand(["ls /tmp | wc -l"])).toBe("ls /tmp | wc -l");
    expect(joinCommand(["uname"])).toBe("uname");
  });
});
