import { describe, expect, it } from "vitest";
import { parseTimeInput, rulerTicks } from "./time-ruler.ts";

describe("rulerTicks", () => {
  it("labels sequence timelines in 1-2-5 steps", () => {
    expect(rulerTicks("sequence", 0n, 19n, 700).map((t) => t.label)).toEqual([
      "0",
      "2",
      "4",
      "6",
      "8",
      "10",
      "12",
      "14",
      "16",
      "18",
    ]);
    expect(rulerTicks("sequence", 3n, 1000n, 350).map((t) => t.label)).toEqual([
      "200",
      "400",
      "600",
      "800",
      "1000",
    ]);
  });

  it("labels durations in the unit of the step", () => {
    expect(rulerTicks("duration", 0n, 10_000_000_000n, 420).map((t) => t.label)).toEqual([
      "0 s",
      "2 s",
      "4 s",
      "6 s",
      "8 s",
      "10 s",
    ]);
    expect(rulerTicks("duration", 0n, 1_000_000_000n, 420).map((t) => t.label)).toEqual([
      "0 ms",
      "200 ms",
      "400 ms",
      "600 ms",
      "800 ms",
      "1000 ms",
    ]);
  });

  it("labels timestamps as UTC time of day at the step's precision, or dates", () => {
    const t0 = BigInt(Date.UTC(2026, 11, 2, 5, 0, 0)) * 1_000_000n;
    expect(rulerTicks("timestamp", t0, t0 + 60_000_000_000n, 350).map((t) => t.label)).toEqual([
      "05:00:00",
      "05:00:15",
      "05:00:30",
      "05:00:45",
      "05:01:00",
    ]);
    expect(rulerTicks("timestamp", t0, t0 + 3n * 86_400_000_000_000n, 280).map((t) => t.label)).toEqual([
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
    ]);
  });
});

describe("parseTimeInput", () => {
  it("reads sequence numbers, durations with units, and UTC timestamps", () => {
    expect(parseTimeInput("sequence", "#12")).toBe(12n);
    expect(parseTimeInput("sequence", " 7 ")).toBe(7n);
    expect(parseTimeInput("sequence", "x")).toBeUndefined();
    expect(parseTimeInput("duration", "1.5 s")).toBe(1_500_000_000n);
    expect(parseTimeInput("duration", "250ms")).toBe(250_000_000n);
    expect(parseTimeInput("duration", "2")).toBe(2_000_000_000n);
    expect(parseTimeInput("timestamp", "2026-12-02 05:00:01.5")).toBe(
      BigInt(Date.UTC(2026, 11, 2, 5, 0, 1)) * 1_000_000n + 500_000_000n,
    );
    expect(parseTimeInput("timestamp", "yesterday")).toBeUndefined();
  });
});
