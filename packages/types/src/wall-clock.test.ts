import { afterEach, describe, expect, it, vi } from "vitest";
import { wallClockNanos } from "./wall-clock.ts";

afterEach(() => vi.restoreAllMocks());

const msOf = (nanos: bigint): number => Number(nanos / 1_000_000n);

describe("wallClockNanos", () => {
  it("stays within Date.now()'s millisecond when the monotonic clock has drifted away from the wall clock", () => {
    for (const driftMs of [-5000, -1.5, 1.5, 5000]) {
      const realNow = performance.now.bind(performance);
      vi.spyOn(performance, "now").mockImplementation(() => realNow() + driftMs);
      const before = Date.now();
      const t = wallClockNanos();
      const after = Date.now();
      expect(msOf(t)).toBeGreaterThanOrEqual(before);
      expect(msOf(t)).toBeLessThanOrEqual(after);
      vi.restoreAllMocks();
    }
  });

  it("keeps the sub-millisecond digits of the performance clock when it agrees with the wall clock", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    vi.spyOn(performance, "now").mockReturnValue(1_700_000_000_000.25 - performance.timeOrigin);
    expect(wallClockNanos()).toBe(1_700_000_000_000_250_000n);
  });
});
