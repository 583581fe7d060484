import type { CliIo } from "./io.ts";
import { escapeTerminal } from "@iris/types";

const WIDTH = 24;

/**
 * A one-line progress bar on stderr (`\r`-redrawn), or nothing when stderr is not a terminal or `enabled` is false
 * (e.g. with --json), so that logs and pipes stay clean.
 */
export function progressBar(
  io: CliIo,
  label: string,
  enabled: boolean,
): { update(done: number, total: number, item: string): void; finish(): void } {
  const active = enabled && process.stderr.isTTY === true;
  let shown = false;
  return {
    update(done, total, item) {
      if (!active || total === 0) return;
      const filled = Math.round((WIDTH * done) / total);
      const name = item.length > 40 ? `…${item.slice(-39)}` : item;
      io.stderr(
        `\r\x1b[2K${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${done}/${total} ${escapeTerminal(name)}`,
      );
      shown = true;
    },
    finish() {
      if (shown) io.stderr("\r\x1b[2K");
      shown = false;
    },
  };
}
