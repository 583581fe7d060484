/** What went wrong in the browser test harness; a stable, machine-readable tag. */
export type HarnessErrorKind =
  | "server-start-failed"
  | "browser-launch-failed"
  | "viewer-start-failed"
  | "rrd-decode-failed"
  | "recording-not-opened"
  | "render-timeout"
  | "viewer-crashed"
  | "harness-closed";

/**
 * Typed error of the browser harness. `consoleLines` carries the viewer's (filtered) console warnings and
 * errors at the time of failure, so a failing test shows e.g. "Failed to decode .rrd" directly.
 */
export class HarnessError extends Error {
  readonly kind: HarnessErrorKind;
  readonly consoleLines: readonly string[];

  constructor(
    kind: HarnessErrorKind,
    message: string,
    options?: { cause?: unknown; consoleLines?: readonly string[] },
  ) {
    const lines = options?.consoleLines ?? [];
    const detail = lines.length > 0 ? `\nviewer console:\n  ${lines.join("\n  ")}` : "";
    super(`${message}${detail}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.consoleLines = lines;
    this.name = new.target.name;
  }
}
