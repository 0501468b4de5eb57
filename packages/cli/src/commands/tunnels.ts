import {
  PORT_RANGE,
  TUNNEL_PROTOCOLS,
  TUNNEL_STATES,
  TUNNEL_VISIBILITIES,
} from "@arker-ai/core/contract";
import type { CreateTunnelOptions, ListTunnelsOptions, Tunnel } from "@arker-ai/vm";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { choiceOption, parseInteger } from "../support/parse-arguments";
import { VM_ARGUMENT } from "./arguments";
import { defineRemoval } from "./removal";

/** A `<port>` argument: a whole number 1–65535, else a usage error before anything is sent. */
function parsePort(text: string): number {
  return parseInteger(text, "<port>", { min: PORT_RANGE.min, max: PORT_RANGE.max });
}

const PORT_ARGUMENT = { name: "port", description: "port inside the VM (1-65535)" };

const ls = defineList({
  summary: "list a VM's tunnels",
  examples: ["arker tunnels ls vm_01J...", "arker tunnels ls vm_01J... --state open --json"],
  arguments: [VM_ARGUMENT],
  filters: [
    {
      flags: "--state <state>",
      description: `only tunnels in this state (${TUNNEL_STATES.join(", ")})`,
      parse: choiceOption("--state", TUNNEL_STATES),
    },
  ],
  noun: "tunnels",
  key: "tunnels",
  fetch: async (args: { vm: string }, query: ListTunnelsOptions, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).listTunnels(query),
  table: tunnelTable,
});

const create = defineCommand({
  name: "create",
  summary: "forward a port of a VM to a URL; prints the URL",
  examples: [
    "arker tunnels create vm_01J... 8080 --visibility public",
    "arker tunnels create vm_01J... 5432 --protocol tcp --json",
  ],
  notes:
    "A private tunnel (the default) answers only requests with your API key; a port that already has a tunnel prints that one.",
  arguments: [VM_ARGUMENT, PORT_ARGUMENT],
  options: [
    {
      flags: "--visibility <visibility>",
      description: `${TUNNEL_VISIBILITIES.join(" or ")} (server default private)`,
      parse: choiceOption("--visibility", TUNNEL_VISIBILITIES),
    },
    {
      flags: "--protocol <protocol>",
      description: `${TUNNEL_PROTOCOLS.join(" or ")} (server default http)`,
      parse: choiceOption("--protocol", TUNNEL_PROTOCOLS),
    },
  ],
  action: async (
    { args, options }: { args: { vm: string; port: string }; options: CreateTunnelOptions },
    context,
  ) =>
    (await context.arker())
      .vm(await context.vmId(args.vm))
      .createTunnel(parsePort(args.port), options),
  render: (tunnel: Tunnel) => ({ data: tunnelLine(tunnel) }),
});

const get = defineCommand({
  name: "get",
  summary: "show the tunnel of a port",
  examples: ["arker tunnels get vm_01J... 8080"],
  arguments: [VM_ARGUMENT, PORT_ARGUMENT],
  action: async ({ args }: { args: { vm: string; port: string }; options: unknown }, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).getTunnel(parsePort(args.port)),
  render: (tunnel: Tunnel, styles) => ({ data: tunnelDetails(tunnel, styles.out) }),
});

const rm = defineRemoval<{ vm: string; port: string[] }>({
  name: "rm",
  noun: "tunnels",
  summary: "close tunnels (the server in the VM keeps running)",
  examples: ["arker tunnels rm vm_01J... 8080 3000 --yes"],
  arguments: [VM_ARGUMENT, { name: "port", description: "ports", variadic: true }],
  targets: async (args, context) => {
    const ports = args.port.map(parsePort);
    const vm = (await context.arker()).vm(await context.vmId(args.vm));
    return { ids: ports.map(String), remove: (port) => vm.deleteTunnel(Number(port)) };
  },
});

/** The `tunnels` group: `ls|create|get|rm`. */
export const TUNNELS_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "tunnels",
    summary: "forward ports of a VM to URLs",
    examples: [
      "arker tunnels create vm_01J... 8080 --visibility public   # prints the URL",
      "arker tunnels ls vm_01J...",
      "arker tunnels rm vm_01J... 8080 --yes",
    ],
    commands: [ls, create, get, rm],
  }),
];

/** What `arker tunnels create` prints: the URL, or the state while there is none. */
export function tunnelLine(tunnel: Tunnel): string {
  return `${tunnel.url ?? `${tunnel.state} (no url yet)`}\n`;
}

/** The `arker tunnels get` key/value view. */
export function tunnelDetails(tunnel: Tunnel, styles: Styles): string {
  return formatKeyValues(
    [
      ["vm", tunnel.vm_id],
      ["port", tunnel.port],
      ["state", tunnel.state],
      ["visibility", tunnel.visibility],
      ["protocol", tunnel.protocol],
      ["url", tunnel.url],
      ["started", tunnel.started_at],
      ["message", tunnel.message],
    ],
    styles,
  );
}

/** The `arker tunnels ls` table. */
export function tunnelTable(tunnels: readonly Tunnel[], styles: Styles): string {
  return formatTable(
    tunnels,
    [
      { header: "port", value: (tunnel) => tunnel.port, style: (text) => styles.cyan(text) },
      { header: "state", value: (tunnel) => tunnel.state },
      { header: "visibility", value: (tunnel) => tunnel.visibility },
      { header: "protocol", value: (tunnel) => tunnel.protocol },
      { header: "url", value: (tunnel) => tunnel.url ?? "" },
    ],
    styles,
  );
}
