import type { ParsedArgs } from "./args.ts";
import type { CliIo } from "./io.ts";

/** One command-line option of a command. */
export interface OptionSpec {
  /** "string" options take a value (`--port 9090` or `--port=9090`); "boolean" ones take none. */
  readonly type: "boolean" | "string";
  /** The option may repeat; every value is kept in order. */
  readonly multiple?: boolean;
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** The value's placeholder in the help text (`PORT`). */
  readonly value?: string;
  /** One line for the help text. */
  readonly description: string;
}

/** An `iris` subcommand: its help text, its options and what it does. */
export interface CommandSpec {
  readonly name: string;
  /** One line for `iris --help`. */
  readonly summary: string;
  /** The arguments after `iris NAME`, e.g. `FILE [--verbose] [--json]`. */
  readonly synopsis: string;
  /** Paragraphs shown by `iris help NAME` after the synopsis. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many positional arguments the command accepts. */
  readonly positionals: { readonly min: number; readonly max: number; readonly name: string };
  run(args: ParsedArgs, io: CliIo): number | Promise<number>;
}

/** `--json`, shared by the commands that can print machine-readable output. */
export const JSON_OPTION: OptionSpec = {
  type: "boolean",
  description: "print one JSON document (shape in docs/cli.md) instead of text",
};
