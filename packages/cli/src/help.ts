import type { CommandSpec, OptionSpec } from "./command-spec.ts";

/** The options every command accepts besides its own. */
export const HELP_OPTION: OptionSpec = {
  type: "boolean",
  short: "h",
  description: "show this help and exit",
};

/** `iris help NAME` / `iris NAME --help`: synopsis, description and every option with its value. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: HELP_OPTION }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, `${o.description}${o.multiple ? " (repeatable)" : ""}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `usage: iris ${spec.name} ${spec.synopsis}`,
    "",
    spec.description,
    "",
    "options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    "",
  ].join("\n");
}

/** `iris --help`: every command with its one-line summary. */
export function overviewHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: iris <command> [options]",
    "",
    "Look at, check, compare and serve Rerun .rrd recordings.",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "  iris help COMMAND      help for one command (also: iris COMMAND --help)",
    "  iris --version, -V     print the version",
    "",
  ].join("\n");
}
