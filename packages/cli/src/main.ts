import { parseArgs } from "./args.ts";
import { compareCommand } from "./commands/compare.ts";
import { printCommand } from "./commands/print.ts";
import { serveCommand, serveUsage, serveValuedFlags } from "./commands/serve.ts";
import { QUERY_VALUED_FLAGS, queryCommand } from "./commands/query.ts";
import { verifyCommand } from "./commands/verify.ts";
import { viewCommand } from "./commands/view.ts";
import { type CliIo, UsageError } from "./io.ts";

const USAGE = `usage: iris <command> [options]

commands:
  print FILE [--verbose]          stores, entities, timelines, chunks, component types and sizes
  verify FILE                     check every message and chunk against the spec (exit 1 on problems)
  compare A B [--unordered]       semantic equality of two recordings (exit 1 when they differ)
  query FILE --index TIMELINE [--range A..B] [--entity PATH]… [--component NAME]… [--sparse-fill]
        [--out table.parquet|table.arrow] [--rows N]
                                  dataframe of one timeline: summary and first rows, or a Parquet / Arrow file
  view FILE|URL… [--port 9090] [--bind 127.0.0.1] [--no-open]
                                  serve the Iris web viewer with the recordings and open it
${serveUsage}`;

/** `rawArgs`: the arguments after the command name, for flags that may repeat. */
type Command = (
  args: ReturnType<typeof parseArgs>,
  io: CliIo,
  rawArgs: readonly string[],
) => number | Promise<number>;

const commands: Record<string, { run: Command; valued: string[] }> = {
  print: { run: printCommand, valued: [] },
  verify: { run: verifyCommand, valued: [] },
  compare: { run: compareCommand, valued: [] },
  view: { run: viewCommand, valued: ["port", "bind"] },
  serve: { run: serveCommand, valued: serveValuedFlags },
  query: { run: queryCommand, valued: QUERY_VALUED_FLAGS },
};

/** Runs the `iris` command line; returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`iris: unknown command ${JSON.stringify(name)}\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(parseArgs(rest, command.valued), io, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`iris ${name}: ${error.message}\n${USAGE}`);
      return 2;
    }
    const e = error as { message?: string; kind?: string; code?: string };
    io.stderr(`iris ${name}: ${e.kind ?? e.code ?? "error"}: ${e.message ?? String(error)}\n`);
    return 1;
  }
}
