import { readFileSync } from "node:fs";
import { parseArgs } from "./args.ts";
import { closestMatch } from "./closest-match.ts";
import type { CommandSpec } from "./command-spec.ts";
import { compareSpec } from "./commands/compare.ts";
import { datasetSpec } from "./commands/dataset.ts";
import { exportSpec } from "./commands/export.ts";
import { printSpec } from "./commands/print.ts";
import { probeSpec } from "./commands/probe.ts";
import { querySpec } from "./commands/query.ts";
import { serveSpec } from "./commands/serve.ts";
import { sqlSpec } from "./commands/sql.ts";
import { verifySpec } from "./commands/verify.ts";
import { viewSpec } from "./commands/view.ts";
import { describeError } from "./describe-error.ts";
import { HELP_OPTION, commandHelp, overviewHelp } from "./help.ts";
import { type CliIo, UsageError } from "./io.ts";
import { escapeTerminalLines } from "@iris/types";

const COMMANDS: readonly CommandSpec[] = [
  printSpec,
  verifySpec,
  compareSpec,
  querySpec,
  probeSpec,
  viewSpec,
  serveSpec,
  datasetSpec,
  sqlSpec,
  exportSpec,
];

/** The `version` of @iris/cli's package.json (one directory above both `src/` and a build directory). */
export function cliVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * Runs the `iris` command line; returns the process exit code: 0 success, 1 the command found a problem (or
 * failed), 2 bad usage. Help and `--version` never have side effects.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overviewHelp(COMMANDS));
    return 2;
  }
  if (name === "--help" || name === "-h") {
    io.stdout(overviewHelp(COMMANDS));
    return 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`iris ${cliVersion()}\n`);
    return 0;
  }
  if (name === "help") return help(rest, io);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const candidates = name.startsWith("-")
      ? ["--help", "--version"]
      : [...COMMANDS.map((c) => c.name), "help"];
    const guess = closestMatch(name, candidates);
    io.stderr(
      escapeTerminalLines(
        `iris: unknown ${name.startsWith("-") ? "option" : "command"} ${name}` +
          `${guess ? ` (did you mean ${guess}?)` : ""}\nrun \`iris --help\` for the list of commands\n`,
      ),
    );
    return 2;
  }
  if (wantsHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    const args = parseArgs(rest, { ...command.options, help: HELP_OPTION });
    const { min, max, name: what } = command.positionals;
    const count = args.positional.length;
    if (count < min) throw new UsageError(`needs ${what}`);
    if (count > max) {
      throw new UsageError(
        max === 0
          ? `takes no arguments, got ${args.positional.join(" ")}`
          : `takes ${what}, got ${count} arguments: ${args.positional.join(" ")}`,
      );
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        escapeTerminalLines(
          `iris ${name}: ${error.message}\nusage: iris ${name} ${command.synopsis}\n` +
            `run \`iris help ${name}\` for every option\n`,
        ),
      );
      return 2;
    }
    io.stderr(escapeTerminalLines(`iris ${name}: ${describeError(error)}\n`));
    return 1;
  }
}

/** `--help` or `-h` anywhere before a `--`. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

function help(args: readonly string[], io: CliIo): number {
  const [topic] = args;
  if (topic === undefined || topic === "help") {
    io.stdout(overviewHelp(COMMANDS));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === topic);
  if (!command) {
    const guess = closestMatch(
      topic,
      COMMANDS.map((c) => c.name),
    );
    io.stderr(
      escapeTerminalLines(`iris help: unknown command ${topic}${guess ? ` (did you mean ${guess}?)` : ""}\n`),
    );
    return 2;
  }
  io.stdout(commandHelp(command));
  return 0;
}
