import { describe, expect, it } from "vitest";
import { lazyOptionsFromUrl } from "./lazy-url-loader.ts";

describe("lazyOptionsFromUrl", () => {
  it("reads lazy, memoryBudgetMB and lazyThresholdMB from the page address", () => {
    expect(lazyOptionsFromUrl(new URLSearchParams("lazy=on&memoryBudgetMB=256&lazyThresholdMB=0.5"))).toEqual(
      {
        options: { lazy: "on", memoryBudgetBytes: 256 * 1024 * 1024, lazyThresholdBytes: 512 * 1024 },
        invalid: [],
      },
    );
    expect(lazyOptionsFromUrl(new URLSearchParams("url=a.rrd"))).toEqual({ options: {}, invalid: [] });
  });

  it("leaves out invalid values and names them", () => {
    const { options, invalid } = lazyOptionsFromUrl(
      new URLSearchParams("lazy=yes&memoryBudgetMB=-1&lazyThresholdMB=abc"),
    );
    expect(options).toEqual({});
    expect(invalid).toEqual([
      "lazy=yes (expected auto, on or off)",
      "memoryBudgetMB=-1 (expected a number of MiB ≥ 0)",
      "lazyThresholdMB=abc (expected a number of MiB ≥ 0)",
    ]);
    expect(lazyOptionsFromUrl(new URLSearchParams("memoryBudgetMB=")).invalid).toHaveLength(1);
    expect(lazyOptionsFromUrl(new URLSearchParams("memoryBudgetMB=Infinity")).invalid).toHaveLength(1);
  });
});
