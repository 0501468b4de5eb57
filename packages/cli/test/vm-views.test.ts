import type { VmInfo } from "@arker-ai/vm";
import { describe, expect, it } from "vitest";
import { vmDetails, vmTable } from "../src/commands/vm";
import { stylesFor } from "../src/support/output";
import { cliOnSharedFake } from "./harness";

const cli = cliOnSharedFake();

/** A VM forked with a name, as `arker get --json` shows it. */
async function forkedVm(): Promise<VmInfo> {
  const id = (await cli(["fork", "ubuntu", "--name", "view-box"])).text.trim();
  return (await cli(["get", id, "--json"])).json<VmInfo>();
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("arker get's and ls's views", () => {
  it("get shows every field under its own label", async () => {
    const vm = await forkedVm();
    const sessions = vm.sessions?.length ?? 0;
    expect(sessions).toBeGreaterThan(0);
    expect(vm.root_source_vm_name).toBeTruthy();
    expect(vm.name).toBe("view-box");
    const details = vmDetails(vm, stylesFor(false));
    const rows: Array<[string, unknown]> = [
      ["id", vm.vm_id],
      ["name", vm.name],
      ["state", vm.state],
      ["owner", vm.owner_org_id],
      ["region", vm.region],
      ["provider", vm.provider],
      ["vcpus", vm.vcpu_count],
      ["memory", `${vm.memory_mib} MiB`],
      ["disk", `${vm.disk_mib} MiB`],
      ["durable", vm.durable],
      ["public", vm.public],
      ["source", vm.root_source_vm_name],
      ["sessions", sessions],
      ["created", vm.created_at],
      ["started", vm.started_at],
    ];
    for (const [label, value] of rows) {
      const shown = value === null || value === undefined || value === "" ? "-" : String(value);
      expect(details, label).toMatch(new RegExp(`^${label} +${escaped(shown)}$`, "m"));
    }
    expect(details.split("\n")).toHaveLength(rows.length + 1);
    // get reads `sessions` defensively: a VM document without it shows 0.
    expect(
      vmDetails({ ...vm, sessions: undefined } as unknown as VmInfo, stylesFor(false)),
    ).toMatch(/^sessions +0$/m);
  });

  it("ls shows each column's value, the source by name", async () => {
    const vm = await forkedVm();
    const [header, row] = vmTable([vm], stylesFor(false)).split("\n");
    expect(header?.split(/ +/)).toEqual([
      "ID",
      "NAME",
      "STATE",
      "VCPUS",
      "MEMORY",
      "DISK",
      "REGION",
      "SOURCE",
      "CREATED",
    ]);
    const cells = [
      vm.vm_id,
      vm.name ?? "-",
      vm.state,
      String(vm.vcpu_count),
      `${vm.memory_mib} MiB`,
      `${vm.disk_mib} MiB`,
      vm.region,
      vm.root_source_vm_name,
      vm.created_at,
    ];
    expect(row).toMatch(new RegExp(`^${cells.map((cell) => escaped(String(cell))).join(" +")}$`));
  });

  it("ls colours a running VM green and an idle one dim, nothing else", async () => {
    const vm = await forkedVm();
    const styles = stylesFor(true);
    const opening = (style: (text: string) => string) => style("X").split("X")[0] as string;
    const table = vmTable(
      [
        { ...vm, state: "running" },
        { ...vm, state: "idle" },
        { ...vm, state: "failed" },
      ],
      styles,
    );
    expect(table).toContain(`${opening(styles.green)}running`);
    expect(table).toContain(`${opening(styles.dim)}idle`);
    expect(table).not.toContain(`${opening(styles.green)}idle`);
    expect(table).not.toContain(`${opening(styles.green)}failed`);
    expect(table).not.toContain(`${opening(styles.dim)}failed`);
  });
});
