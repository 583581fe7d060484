import { parseArgs as parseTokens } from "node:util";
import { closestMatch } from "./closest-match.ts";
import type { OptionSpec } from "./command-spec.ts";
import { UsageError } from "./io.ts";

export interface ParsedArgs {
  readonly positional: string[];
  /** The last value of each option given (`true` for a boolean option). */
  readonly flags: Map<string, string | true>;
  /** Every value of each string option, in order (for options that may repeat). */
  readonly lists: Map<string, string[]>;
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` (tokens) and checks them against `options`: an
 * unknown option, a missing value, or a value given to a boolean option is a `UsageError` naming the closest
 * valid option. `--` ends the options.
 */
export function parseArgs(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): ParsedArgs {
  const config: Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  }
  const { tokens } = parseTokens({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === "positional") {
      positional.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (spec === undefined) throw unknownOption(token.rawName, options);
    if (spec.type === "boolean") {
      if (token.value !== undefined)
        throw new UsageError(`${token.rawName} takes no value, got ${token.value}`);
      flags.set(token.name, true);
      continue;
    }
    if (token.value === undefined) {
      throw new UsageError(`--${token.name} needs a value${spec.value ? ` (${spec.value})` : ""}`);
    }
    if (!spec.multiple && flags.has(token.name)) throw new UsageError(`--${token.name} given twice`);
    flags.set(token.name, token.value);
    const list = lists.get(token.name) ?? [];
    list.push(token.value);
    lists.set(token.name, list);
  }
  return { positional, flags, lists };
}

function unknownOption(raw: string, options: Readonly<Record<string, OptionSpec>>): UsageError {
  const long = Object.keys(options).map((name) => `--${name}`);
  const guess = closestMatch(raw.startsWith("--") ? raw : `--${raw.slice(1)}`, long);
  const hint = guess ? `did you mean ${guess}?` : `valid options: ${long.join(", ")}`;
  return new UsageError(`unknown option ${raw} (${hint})`);
}

/** The value of a string option, if given. */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}
