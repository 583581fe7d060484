import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isRrdError } from "../rrd-error.ts";
import { openFileSource } from "./file-source.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-file-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openFileSource", () => {
  it("reads exactly the bytes asked for at any offset", () => {
    const path = join(dir, "small.bin");
    writeFileSync(
      path,
      Uint8Array.from({ length: 100 }, (_, i) => i),
    );
    const source = openFileSource(path);
    try {
      expect(source.byteLength).toBe(100);
      expect([...source.read(10, 3)]).toEqual([10, 11, 12]);
      expect([...source.read(97, 3)]).toEqual([97, 98, 99]);
      expect(source.read(0, 0).length).toBe(0);
    } finally {
      source.close();
    }
  });

  it("reads past 2 GiB in a (sparse) 3 GiB file without reading the rest", () => {
    const path = join(dir, "big.bin");
    const offset = 3 * 1024 ** 3;
    const fd = openSync(path, "w");
    writeSync(fd, Uint8Array.of(1, 2, 3, 4), 0, 4, offset);
    closeSync(fd);
    const source = openFileSource(path);
    try {
      expect(source.byteLength).toBe(offset + 4);
      expect([...source.read(offset + 1, 3)]).toEqual([2, 3, 4]);
      expect([...source.read(offset - 2, 3)]).toEqual([0, 0, 1]);
    } finally {
      source.close();
    }
  });

  it("a read beyond what the file holds (it shrank) is a typed truncated error; a missing file is ENOENT", () => {
    const path = join(dir, "shrinks.bin");
    writeFileSync(path, new Uint8Array(50));
    const source = openFileSource(path);
    try {
      truncateSync(path, 20);
      let error: unknown;
      try {
        source.read(10, 20);
      } catch (e) {
        error = e;
      }
      expect(isRrdError(error) && error.kind).toBe("truncated");
      expect((error as Error).message).toContain("expected 20 bytes at offset 10, the file ended after 10");
    } finally {
      source.close();
    }
    expect(() => openFileSource(join(dir, "missing.bin"))).toThrow(/ENOENT/);
  });
});
