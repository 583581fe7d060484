import { isRrdError } from "@iris/rrd";
import { CliError } from "./io.ts";
import { nameMessageKinds } from "./message-kind-names.ts";

/** What a Node system error code means, in words (`ENOENT` → "no such file"). */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a parent is not a directory",
  EMFILE: "too many open files",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EADDRINUSE:
    "the address is already in use (choose another port with --port N, or --port 0 for any free one)",
  EADDRNOTAVAIL: "the address is not available on this machine",
  ERR_FS_FILE_TOO_LARGE: "the file is too large to read at once",
};

/** The text of a Node system error (`ENOENT`, `EACCES`, …) without its code, or undefined for other errors. */
export function systemErrorText(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  return SYSTEM_ERRORS[code] ?? undefined;
}

/**
 * One line for people about why a command failed: no error-kind codes, no `ENOENT: ENOENT`, message kinds by
 * name. The caller escapes it for the terminal.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (isRrdError(error)) return nameMessageKinds(error.message);
  if (error instanceof Error) {
    const cause = error.cause;
    const causeText = cause === undefined ? undefined : (systemErrorText(cause) ?? (cause as Error).message);
    const own = systemErrorText(error);
    if (own !== undefined) {
      const path = (error as { path?: unknown }).path;
      return typeof path === "string" ? `${path}: ${own}` : own;
    }
    return causeText === undefined ? nameMessageKinds(error.message) : `${error.message}: ${causeText}`;
  }
  return String(error);
}
