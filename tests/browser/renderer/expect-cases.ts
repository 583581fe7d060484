import { expect } from "vitest";
import { type PixelCase, mismatches } from "./protocol.ts";

/** Asserts that every rendered case matches its expectation and raised no WebGL error. */
export function expectCases(cases: readonly PixelCase[]): void {
  expect(cases.length).toBeGreaterThan(0);
  const failures = cases
    .map((c) => ({ c, bad: mismatches(c) }))
    .filter(({ c, bad }) => bad.length > 0 || c.glError !== 0)
    .map(({ c, bad }) => `${c.name} (glError ${c.glError}): ${bad.join("; ")}`);
  expect(failures).toEqual([]);
}
