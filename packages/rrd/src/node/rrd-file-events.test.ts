import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeRrd } from "../decode-rrd.ts";
import { encodeRrd } from "../encode-rrd.ts";
import { sampleMessages } from "../../test/fixtures.ts";
import { rrdFileEvents } from "./rrd-file-events.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-rrd-file-events-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rrdFileEvents", () => {
  it("streams a file in pieces of any size with the same events as decoding it whole", () => {
    const bytes = encodeRrd(sampleMessages());
    const path = join(dir, "sample.rrd");
    writeFileSync(path, bytes);
    const whole = decodeRrd(bytes);
    for (const readBytes of [1, 7, 100, 1 << 20]) {
      let size = -1;
      const events = [...rrdFileEvents(path, { readBytes, onSize: (s) => (size = s) })];
      expect(size).toBe(bytes.length);
      expect(events.flatMap((e) => (e.type === "message" ? [e.message] : []))).toEqual(whole.messages);
      expect(events.flatMap((e) => (e.type === "warning" ? [e.warning] : []))).toEqual(whole.warnings);
    }
  });

  it("a missing file is the file system's error, thrown when iteration starts", () => {
    expect(() => [...rrdFileEvents(join(dir, "missing.rrd"))]).toThrow(/ENOENT/);
  });
});
