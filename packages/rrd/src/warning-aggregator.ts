import type { RrdWarning, RrdWarningKind } from "./rrd-warning.ts";

/** Warnings of one kind reported one by one; the rest are counted and summarised by `end()`. */
export const MAX_WARNINGS_PER_KIND = 100;

/**
 * Aggregates repeated decoder warnings: the first MAX_WARNINGS_PER_KIND of a kind are reported one by one, the
 * rest only counted, and `summaries()` gives one warning per kind that had more (16 MB of empty messages used to
 * print a million warning lines).
 */
export class WarningAggregator {
  private readonly counts = new Map<RrdWarningKind, { count: number; firstSuppressedOffset: number }>();

  /** Counts a warning; true when it is to be reported on its own. */
  record(kind: RrdWarningKind, offset: number): boolean {
    const seen = this.counts.get(kind);
    if (seen === undefined) {
      this.counts.set(kind, { count: 1, firstSuppressedOffset: -1 });
      return true;
    }
    seen.count += 1;
    if (seen.count <= MAX_WARNINGS_PER_KIND) return true;
    if (seen.firstSuppressedOffset < 0) seen.firstSuppressedOffset = offset;
    return false;
  }

  /** One warning per kind whose later warnings were only counted since the last call. */
  summaries(): RrdWarning[] {
    const out: RrdWarning[] = [];
    for (const [kind, { count, firstSuppressedOffset }] of this.counts) {
      if (count <= MAX_WARNINGS_PER_KIND || firstSuppressedOffset < 0) continue;
      out.push({
        kind,
        message: `${count - MAX_WARNINGS_PER_KIND} more "${kind}" warnings from offset ${firstSuppressedOffset} on (${count} in all) are not listed one by one`,
        offset: firstSuppressedOffset,
      });
      this.counts.set(kind, { count: MAX_WARNINGS_PER_KIND, firstSuppressedOffset: -1 });
    }
    return out;
  }
}
