import { describe, expect, it } from "vitest";
import { encodeBytes, runDocument } from "../src/support/documents";
import {
  formatKeyValues,
  formatTable,
  stripAnsi,
  stylesFor,
  useColour,
} from "../src/support/output";
import { formatBytes } from "../src/support/progress";

describe("formatTable", () => {
  const rows = [
    { id: "vm_1", name: "alpha", vcpus: 2 },
    { id: "vm_22222", name: null, vcpus: 16 },
  ];
  const columns = [
    { header: "id", value: (row: (typeof rows)[number]) => row.id },
    { header: "name", value: (row: (typeof rows)[number]) => row.name },
    { header: "vcpus", value: (row: (typeof rows)[number]) => row.vcpus, align: "right" as const },
  ];

  it("aligns columns, right-aligns numbers and prints - for missing cells", () => {
    expect(formatTable(rows, columns)).toBe(
      ["ID        NAME   VCPUS", "vm_1      alpha      2", "vm_22222  -         16", ""].join("\n"),
    );
  });

  it("prints only the header for no rows", () => {
    expect(formatTable([], columns)).toBe("ID  NAME  VCPUS\n");
  });

  it("keeps the alignment when coloured", () => {
    const coloured = formatTable(
      rows,
      columns.map((column) => ({ ...column, style: (text: string) => stylesFor(true).cyan(text) })),
      stylesFor(true),
    );
    expect(coloured).toContain("\u001b[");
    expect(stripAnsi(coloured)).toBe(formatTable(rows, columns));
  });
});

describe("formatKeyValues", () => {
  it("aligns the keys", () => {
    expect(
      formatKeyValues([
        ["id", "vm_1"],
        ["exit code", 0],
        ["fail reason", null],
      ]),
    ).toBe("id           vm_1\nexit code    0\nfail reason  -\n");
  });

  it("prints - for a missing or empty value and trims only the line's end", () => {
    expect(
      formatKeyValues([
        ["a", undefined],
        ["b", ""],
        ["c", "v  "],
      ]),
    ).toBe("a  -\nb  -\nc  v\n");
  });
});

describe("useColour", () => {
  it("colours only a terminal without NO_COLOR or --no-color", () => {
    expect(useColour(true, {}, true)).toBe(true);
    expect(useColour(false, {}, true)).toBe(false);
    expect(useColour(true, { NO_COLOR: "1" }, true)).toBe(false);
    expect(useColour(true, { NO_COLOR: "" }, true)).toBe(true);
    expect(useColour(true, {}, false)).toBe(false);
  });

  it("FORCE_COLOR forces colour when piped (0 and false turn it off) and beats NO_COLOR, not --no-color", () => {
    expect(useColour(false, { FORCE_COLOR: "1" }, true)).toBe(true);
    expect(useColour(false, { FORCE_COLOR: "" }, true)).toBe(true);
    expect(useColour(true, { FORCE_COLOR: "0" }, true)).toBe(false);
    expect(useColour(true, { FORCE_COLOR: "false" }, true)).toBe(false);
    expect(useColour(false, { FORCE_COLOR: "1", NO_COLOR: "1" }, true)).toBe(true);
    expect(useColour(true, { FORCE_COLOR: "1" }, false)).toBe(false);
  });

  it("styles are node:util styleText's, the identity when colour is off", () => {
    // styleText itself would drop the codes here (stdout is not a terminal in tests).
    expect(stylesFor(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(stylesFor(true).bold("x")).toBe("\u001b[1mx\u001b[22m");
    expect(stylesFor(false).red("x")).toBe("x");
  });

  it("styling an empty string adds no escape codes", () => {
    expect(stylesFor(true).bold("")).toBe("");
    expect(stylesFor(true).red("")).toBe("");
  });
});

describe("encodeBytes and runDocument", () => {
  it("keeps UTF-8 as text and turns anything else into base64", () => {
    expect(encodeBytes(new TextEncoder().encode("héllo\n"))).toEqual({
      text: "héllo\n",
      encoding: "utf-8",
    });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41]);
    expect(encodeBytes(withBom)).toEqual({ text: "\ufeffA", encoding: "utf-8" });
    expect(new TextEncoder().encode(encodeBytes(withBom).text)).toEqual(withBom);
    expect(encodeBytes(new Uint8Array([0xff, 0x00, 0x80]))).toEqual({
      text: "/wCA",
      encoding: "base64",
    });
  });

  it("builds the documented run shape", () => {
    const document = runDocument({
      runId: "run_1",
      state: "completed",
      exitCode: 3,
      failReason: null,
      sessionId: "sess_1",
      stdout: new TextEncoder().encode("out"),
      stderr: new Uint8Array([0xff]),
    });
    expect(document).toEqual({
      runId: "run_1",
      state: "completed",
      exitCode: 3,
      failReason: null,
      sessionId: "sess_1",
      stdout: "out",
      stdoutEncoding: "utf-8",
      stderr: "/w==",
      stderrEncoding: "base64",
    });
  });
});

describe("formatBytes", () => {
  it("uses binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(8 * 1024 * 1024)).toBe("8.0 MiB");
    expect(formatBytes(1024)).toBe("1.0 KiB");
  });
});
