// A few hundred bytes of Arrow IPC can declare 2^31 values of a type that needs no bytes per value
// (List<Null>, FixedSizeList<Null>, List<Struct<>>). `iris verify` used to accept such a file and print/query/compare
// to die of a V8 heap OOM walking the values (issue 15). chunkFromIpc now caps declared value counts at 8 per input
// byte (+64) with a typed ChunkError, and every CLI command reports the chunk as skipped.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Dictionary,
  Field,
  FixedSizeList,
  Int8,
  Null,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import { ChunkError, chunkFromIpc } from "@iris/chunk";
import { MemorySink, RrdEncoder, type StoreId } from "@iris/rrd";
import { defaultTuidGenerator } from "@iris/types";
import { HUGE, chunkWith, listOf } from "./fixtures/hostile-ipc.ts";

const STORE: StoreId = { kind: "recording", recordingId: "lists", applicationId: "lists_app" };

const dir = mkdtempSync(join(tmpdir(), "iris-hostile-lists-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: Record<string, () => Uint8Array> = {
  "List<Null>": () => chunkWith(listOf(makeData({ type: new Null(), length: HUGE }))),
  "List<FixedSizeList<Null>>": () => {
    const fsl = makeData({
      type: new FixedSizeList(HUGE, new Field("item", new Null(), true)),
      length: 1,
      nullCount: 0,
      child: makeData({ type: new Null(), length: HUGE }),
    });
    return chunkWith(listOf(fsl));
  },
  "List<Struct<>>": () =>
    chunkWith(listOf(makeData({ type: new Struct([]), length: HUGE, nullCount: 0, children: [] }))),
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe("bufferless lists of 2^31 values", () => {
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: chunkFromIpc throws ChunkError bad-ipc; verify, print --verbose, query and compare report it`, async () => {
      const ipc = make();
      expect(ipc.length).toBeLessThan(4096);
      let caught: unknown;
      try {
        chunkFromIpc(ipc);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ChunkError);
      expect((caught as ChunkError).kind).toBe("bad-ipc");
      expect((caught as ChunkError).message).toMatch(/declares 2147483647 values/);

      const sink = new MemorySink();
      const encoder = new RrdEncoder(sink, { compression: "none" });
      encoder.write({ kind: "setStoreInfo", rowId: defaultTuidGenerator.next(), storeId: STORE });
      encoder.write({ kind: "arrowMsg", storeId: STORE, ipc });
      encoder.finish();
      const path = join(dir, `${name.replace(/\W+/g, "_")}.rrd`);
      writeFileSync(path, sink.toBytes());

      const verify = await run("verify", path);
      expect(verify.code).toBe(1);
      expect(verify.out + verify.err).toContain("bad-ipc");
      for (const argv of [
        ["print", "--verbose", path],
        ["query", path, "--index", "frame"],
        ["compare", path, path],
      ]) {
        const result = await run(...argv);
        expect(result.code, `${argv[0]}: ${result.err}`).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe("dictionary indices", () => {
  it("an index outside the dictionary is a ChunkError bad-ipc (was printed as null while verify said ok)", async () => {
    const dictionary = vectorFromArray(["a", "b"], new Utf8());
    const indices = makeData({
      type: new Dictionary(new Utf8(), new Int8(), 0),
      length: 2,
      nullCount: 0,
      data: Int8Array.of(1, 5),
      dictionary,
    });
    const ipc = chunkWith(listOf(indices));
    let caught: unknown;
    try {
      chunkFromIpc(ipc);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChunkError);
    expect((caught as ChunkError).kind).toBe("bad-ipc");
    expect((caught as ChunkError).message).toContain(
      "dictionary index 5 at row 1 is outside the 2-entry dictionary",
    );
    // The same column with valid indices reads.
    const valid = makeData({
      type: new Dictionary(new Utf8(), new Int8(), 0),
      length: 2,
      nullCount: 0,
      data: Int8Array.of(1, 0),
      dictionary,
    });
    expect(chunkFromIpc(chunkWith(listOf(valid))).numRows).toBe(1);

    const sink = new MemorySink();
    const encoder = new RrdEncoder(sink, { compression: "none" });
    encoder.write({ kind: "setStoreInfo", rowId: defaultTuidGenerator.next(), storeId: STORE });
    encoder.write({ kind: "arrowMsg", storeId: STORE, ipc });
    encoder.finish();
    const path = join(dir, "dictionary.rrd");
    writeFileSync(path, sink.toBytes());
    const verify = await run("verify", path);
    expect(verify.code).toBe(1);
    expect(verify.out + verify.err).toContain("dictionary index 5");
  });
});
