import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type StructRow, type Vector } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import { ChunkBuilder, chunkFromIpc, chunkToIpc } from "@iris/chunk";
import { RrdDecoder, type RrdMessage, hasStreamFooterMagic } from "@iris/rrd";
import { ChunkStore, queryDataframe } from "@iris/store";
import { ChannelDatatype, ColorModel, ImageBufferType, ImageFormatType, Tuid, batch } from "@iris/types";
import {
  UNKNOWN_COMPONENT,
  UNKNOWN_ENTITY,
  ipcWithoutSorbetVersion,
  storeId,
  unknownComponentChunk,
  writeRerunLike,
} from "../fixtures/rerun-like-writer.ts";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const APP = "rerun_example_rerun_like";
const recording = storeId("recording", APP, "rec1");
const blueprint = storeId("blueprint", APP, "bp1");
const tuid = (n: number): Tuid => new Tuid(1_700_000_000_000_000_000n, BigInt(n));

function imageChunk(
  entityPath: string,
  step: bigint | undefined,
  id: number,
): ReturnType<ChunkBuilder["build"]> {
  const builder = new ChunkBuilder(entityPath);
  const timepoint = new Map(step === undefined ? [] : [["step", { type: "sequence" as const, value: step }]]);
  builder.addRow(tuid(100 + id), timepoint, [
    batch({ component: "Image:buffer", componentType: ImageBufferType.name }, ImageBufferType, [
      Uint8Array.of(1, 2, 3, 4, 5, 6),
    ]),
    batch({ component: "Image:format", componentType: ImageFormatType.name }, ImageFormatType, [
      { width: 2, height: 1, colorModel: ColorModel.RGB, channelDatatype: ChannelDatatype.U8 },
    ]),
  ]);
  return builder.build(tuid(id));
}

const image = imageChunk("/image", 0n, 1);
const blueprintChunk = imageChunk("/viewport", undefined, 2);
const custom = unknownComponentChunk(
  tuid(3),
  [tuid(201), tuid(202)],
  [1n, 2n],
  [
    [{ a: 1, b: "x" }],
    [
      { a: -2, b: null },
      { a: 3, b: "z" },
    ],
  ],
);

const streams: { messages: RrdMessage[]; footer: boolean }[] = [
  {
    footer: true,
    messages: [
      { kind: "setStoreInfo", rowId: tuid(10), storeId: recording, storeSource: { kind: 1 } },
      { kind: "arrowMsg", storeId: recording, chunkId: image.id, isStatic: false, ipc: chunkToIpc(image) },
    ],
  },
  {
    footer: true,
    messages: [
      { kind: "setStoreInfo", rowId: tuid(11), storeId: blueprint, storeSource: { kind: 1 } },
      {
        kind: "arrowMsg",
        storeId: blueprint,
        chunkId: blueprintChunk.id,
        isStatic: true,
        ipc: chunkToIpc(blueprintChunk),
      },
      { kind: "blueprintActivation", blueprintId: blueprint, makeActive: true, makeDefault: true },
    ],
  },
  {
    footer: false,
    messages: [
      { kind: "setStoreInfo", rowId: tuid(12), storeId: recording, storeSource: { kind: 1 } },
      {
        kind: "arrowMsg",
        storeId: recording,
        chunkId: custom.id,
        isStatic: false,
        ipc: ipcWithoutSorbetVersion(custom),
      },
    ],
  },
];

const dir = mkdtempSync(join(tmpdir(), "iris-rerun-like-"));
const path = join(dir, "rerun_like.rrd");
let bytes: Uint8Array;

beforeAll(() => {
  bytes = writeRerunLike(streams);
  writeFileSync(path, bytes);
});

function loadRecordingStore(): ChunkStore {
  const decoder = new RrdDecoder();
  decoder.push(bytes);
  const store = new ChunkStore();
  for (const event of decoder.end()) {
    if (event.type !== "message" || event.message.kind !== "arrowMsg") continue;
    if (event.message.storeId.kind !== "recording") continue;
    store.insert(chunkFromIpc(event.message.ipc));
  }
  return store;
}

describe("a Rerun-written-like file (LZ4, footers, blueprint, concatenated streams, no sorbet version)", () => {
  it("is what it claims: LZ4 header byte, LZ4 payloads, two StreamFooters", () => {
    expect(bytes[8]).toBe(1); // StreamHeader compression byte
    // The first stream ends with a StreamFooter just before the second "RRF2" header.
    let footers = 0;
    for (let i = 0; i + 32 <= bytes.length; i++) if (hasStreamFooterMagic(bytes, i)) footers++;
    expect(footers).toBe(2);
    const decoder = new RrdDecoder();
    decoder.push(bytes);
    const events = decoder.end();
    expect(events.filter((e) => e.type === "warning")).toEqual([]);
    expect(events.map((e) => (e.type === "message" ? e.message.kind : e.type))).toEqual([
      "setStoreInfo",
      "arrowMsg",
      "setStoreInfo",
      "arrowMsg",
      "blueprintActivation",
      "setStoreInfo",
      "arrowMsg",
    ]);
    expect(decoder.rrdFooters).toHaveLength(2);
    // The LZ4 ArrowMsg of the image decodes back to the exact IPC bytes.
    const arrow = events.find((e) => e.type === "message" && e.message.kind === "arrowMsg");
    expect(arrow?.type === "message" && arrow.message.kind === "arrowMsg" && arrow.message.ipc).toEqual(
      chunkToIpc(image),
    );
  });

  it("iris print shows both stores, the blueprint as such, and the unknown component, without problems", async () => {
    const { code, out } = await run("print", path);
    expect(code).toBe(0);
    expect(out).toContain(`${path}: `);
    expect(out).toContain("7 messages");
    expect(out).toContain(`store recording:${APP}/rec1`);
    expect(out).toContain(`store blueprint:${APP}/bp1`);
    expect(out).toContain(
      `${UNKNOWN_COMPONENT}  custom.components.Pair  Struct<a?: Int32, b?: Utf8>  2 cells`,
    );
    expect(out).not.toMatch(/problem\(s\)/);
  });

  it("iris verify flags only the missing sorbet version (not the footers, LZ4 or the blueprint)", async () => {
    const { code, out } = await run("verify", path);
    expect(code).toBe(1);
    const problems = out.split("\n").filter((l) => l.startsWith("@"));
    expect(problems, out).toHaveLength(1);
    expect(problems[0]).toContain("missing-sorbet-version");
    expect(out).toContain(": 1 problem(s)");
    expect(out).not.toMatch(/footer|blueprint|lz4/i);
  });

  it("the ChunkStore holds the recording's chunks, the unknown component as stored", () => {
    const store = loadRecordingStore();
    expect(store.entityPaths().sort()).toEqual([UNKNOWN_ENTITY, "/image"].sort());
    const row = store.latestAt({
      entityPath: UNKNOWN_ENTITY,
      timeline: "step",
      time: 5n,
      component: UNKNOWN_COMPONENT,
    });
    expect(row?.time).toBe(2n);
    const list = row!.chunk.components.get(UNKNOWN_COMPONENT)!.list;
    expect(String(list.type)).toBe("List<Struct<{a:Int32, b:Utf8}>>");
  });

  it("queryDataframe has the unknown component as raw Arrow values, blueprint data absent", () => {
    const table = queryDataframe(loadRecordingStore(), { index: "step", sparseFill: false });
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      "step",
      `${UNKNOWN_ENTITY}:${UNKNOWN_COMPONENT}`,
      "/image:Image:buffer",
      "/image:Image:format",
    ]);
    expect([...table.getChild("step")!]).toEqual([0n, 1n, 2n]);
    const column = table.getChild(`${UNKNOWN_ENTITY}:${UNKNOWN_COMPONENT}`)!;
    expect(column.get(0)).toBeNull();
    const cell = (row: number): unknown[] =>
      [...(column.get(row) as Vector)].map((s) => (s as StructRow).toJSON());
    expect(cell(1)).toEqual([{ a: 1, b: "x" }]);
    expect(cell(2)).toEqual([
      { a: -2, b: null },
      { a: 3, b: "z" },
    ]);
  });

  it("iris query skips the blueprint and shows the unknown component", async () => {
    const { code, out } = await run("query", path, "--index", "step");
    expect(code).toBe(0);
    expect(out).toContain("3 rows × 4 columns");
    expect(out).toContain(
      `  ${UNKNOWN_ENTITY}:${UNKNOWN_COMPONENT}  List<Struct<{a:Int32, b:Utf8}>>  custom.components.Pair`,
    );
    expect(out).toContain(`${UNKNOWN_ENTITY}:${UNKNOWN_COMPONENT}=[{"a":-2,"b":null}, {"a":3,"b":"z"}]`);
    expect(out).toContain("1 blueprint chunk(s) skipped");
  });
});
