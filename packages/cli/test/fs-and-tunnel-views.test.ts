import type { Filesystem } from "@arker-ai/filesystems";
import type { Tunnel } from "@arker-ai/vm";
import { describe, expect, it } from "vitest";
import { filesystemDetails, filesystemTable } from "../src/commands/fs";
import { tunnelDetails, tunnelLine, tunnelTable } from "../src/commands/tunnels";
import { stylesFor } from "../src/support/output";

const plain = stylesFor(false);
const coloured = stylesFor(true);

const filesystem: Filesystem = {
  filesystem_id: "fs_a",
  name: "datasets",
  owner_org_id: "org_a",
  created_at: "2026-01-02T03:04:05Z",
  size_bytes: 1536,
};

const tunnel: Tunnel = {
  vm_id: "vm_a",
  port: 8080,
  state: "open",
  visibility: "public",
  protocol: "http",
  url: "https://8080-vm-a.example",
  started_at: "2026-01-02T03:04:05Z",
  message: "ready",
};

/** A filesystem document without its size (an older server's). */
const sizeless = { ...filesystem, size_bytes: undefined } as unknown as Filesystem;

describe("arker fs get's and ls's views", () => {
  it("get shows every field under its own label, the size for people", () => {
    expect(filesystemDetails(filesystem, plain)).toBe(
      [
        "id       fs_a",
        "name     datasets",
        "owner    org_a",
        "size     1.5 KiB",
        "created  2026-01-02T03:04:05Z",
        "",
      ].join("\n"),
    );
    expect(filesystemDetails(sizeless, plain)).toMatch(/^size {5}0 B$/m);
  });

  it("ls shows each column, the size on the right, the id in cyan", () => {
    const lines = filesystemTable([filesystem, { ...sizeless, filesystem_id: "fs_b" }], plain)
      .trimEnd()
      .split("\n");
    expect(lines).toEqual([
      "ID    NAME         SIZE  CREATED",
      "fs_a  datasets  1.5 KiB  2026-01-02T03:04:05Z",
      "fs_b  datasets      0 B  2026-01-02T03:04:05Z",
    ]);
    expect(filesystemTable([filesystem], coloured)).toContain(coloured.cyan("fs_a"));
  });
});

describe("arker tunnels' views", () => {
  it("create prints the url, or the state while the tunnel has none", () => {
    expect(tunnelLine(tunnel)).toBe("https://8080-vm-a.example\n");
    expect(tunnelLine({ ...tunnel, state: "starting", url: null })).toBe("starting (no url yet)\n");
  });

  it("get shows every field under its own label", () => {
    expect(tunnelDetails(tunnel, plain)).toBe(
      [
        "vm          vm_a",
        "port        8080",
        "state       open",
        "visibility  public",
        "protocol    http",
        "url         https://8080-vm-a.example",
        "started     2026-01-02T03:04:05Z",
        "message     ready",
        "",
      ].join("\n"),
    );
  });

  it("ls shows each column, no url as -, the port in cyan", () => {
    const lines = tunnelTable([tunnel, { ...tunnel, port: 22, protocol: "tcp", url: null }], plain)
      .trimEnd()
      .split("\n");
    expect(lines).toEqual([
      "PORT  STATE  VISIBILITY  PROTOCOL  URL",
      "8080  open   public      http      https://8080-vm-a.example",
      "22    open   public      tcp       -",
    ]);
    expect(tunnelTable([tunnel], coloured)).toContain(coloured.cyan("8080"));
  });
});
