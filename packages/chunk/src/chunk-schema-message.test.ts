import {
  type ComponentBatch,
  type ComponentDescriptor,
  ImageBufferType,
  OpacityType,
  Tuid,
  concatBytes,
} from "@iris/types";
import { describe, expect, it } from "vitest";
import { Chunk } from "./chunk.ts";
import { ChunkBuilder, type TimeCell } from "./chunk-builder.ts";
import { framedChunkSchemaMessage } from "./chunk-schema-message.ts";
import { chunkSchema, chunkToIpc } from "./chunk-to-record-batch.ts";
import { chunkToIpcParts } from "./ipc-parts.ts";
import { framedSchemaMessage } from "./schema-message-cache.ts";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

const buffer: ComponentDescriptor = {
  archetype: "rerun.archetypes.Image",
  component: "Image:buffer",
  componentType: "rerun.components.ImageBuffer",
};
const opacity: ComponentDescriptor = {
  archetype: "rerun.archetypes.Image",
  component: "Image:opacity",
  componentType: "rerun.components.Opacity",
};

let nextId = 1n;

interface Row {
  time?: [string, TimeCell];
  rowId?: Tuid;
  batches?: ComponentBatch[];
}

function chunkOf(rows: Row[], entity = "camera/image"): Chunk {
  const builder = new ChunkBuilder(entity);
  rows.forEach((row, i) => {
    builder.addRow(
      row.rowId ?? new Tuid(1000n + BigInt(i), nextId),
      new Map([row.time ?? ["frame", { type: "sequence", value: BigInt(i) }]]),
      row.batches ?? [{ descriptor: buffer, type: ImageBufferType, values: [Uint8Array.of(1, 2, i)] }],
    );
  });
  nextId++;
  // Ids of one length (as every Tuid's), differing per chunk.
  return builder.build(new Tuid(0x1234_5678_9abc_def0n + nextId, nextId));
}

describe("framedChunkSchemaMessage", () => {
  it("equals the schema path's message, for chunks of one entity that change shape one way at a time", () => {
    const base = (): Chunk => chunkOf([{}, {}]);
    const withMetadata = (c: Chunk, value: string): Chunk =>
      new Chunk({ ...c, extraMetadata: new Map([["user", value]]) });
    const variants: [string, () => Chunk, (() => Chunk)?][] = [
      ["same shape, another id", base],
      ["unsorted timeline", () => chunkOf([{}, { time: ["frame", { type: "sequence", value: -5n }] }])],
      ["unsorted row ids", () => chunkOf([{ rowId: new Tuid(9n, 9n) }, { rowId: new Tuid(1n, 1n) }])],
      ["another timeline name", () => chunkOf([{ time: ["tick", { type: "sequence", value: 1n }] }])],
      ["another timeline type", () => chunkOf([{ time: ["frame", { type: "duration", value: 1n }] }])],
      [
        "one more component",
        () =>
          chunkOf([
            {
              batches: [
                { descriptor: buffer, type: ImageBufferType, values: [Uint8Array.of(1)] },
                { descriptor: opacity, type: OpacityType, values: [0.5] },
              ],
            },
          ]),
      ],
      [
        "another archetype, same component",
        () =>
          chunkOf([
            {
              batches: [
                {
                  descriptor: { ...buffer, archetype: "rerun.archetypes.DepthImage" },
                  type: ImageBufferType,
                  values: [Uint8Array.of(1)],
                },
              ],
            },
          ]),
      ],
      [
        "no component type",
        () =>
          chunkOf([
            {
              batches: [
                {
                  descriptor: { archetype: "rerun.archetypes.Image", component: buffer.component },
                  type: ImageBufferType,
                  values: [Uint8Array.of(1)],
                },
              ],
            },
          ]),
      ],
      [
        "another column type, same component",
        () =>
          chunkOf([
            {
              batches: [
                { descriptor: buffer, type: OpacityType, values: [0.5] } as unknown as ComponentBatch,
              ],
            },
          ]),
      ],
      ["extra schema metadata", () => withMetadata(base(), "x")],
      [
        "other extra schema metadata (after the first)",
        () => withMetadata(base(), "y"),
        () => withMetadata(base(), "x"),
      ],
    ];
    for (const [name, make, before = base] of variants) {
      // The shape before first (remembered), then the variant (which must not be taken for it), then the variant again.
      for (const chunk of [before(), make(), make()]) {
        const expected = framedSchemaMessage(chunkSchema(chunk));
        if (!sameBytes(framedChunkSchemaMessage(chunk), expected)) throw new Error(`variant "${name}"`);
        expect(sameBytes(concatBytes(chunkToIpcParts(chunk)), chunkToIpc(chunk)), name).toBe(true);
      }
    }
  });

  it("keeps one shape per entity, and hands out a copy the caller may change", () => {
    const a = chunkOf([{}], "a");
    const b = chunkOf([{ time: ["tick", { type: "duration", value: 1n }] }], "b");
    framedChunkSchemaMessage(a).fill(0);
    framedChunkSchemaMessage(b).fill(0);
    for (const chunk of [
      chunkOf([{}], "a"),
      chunkOf([{ time: ["tick", { type: "duration", value: 2n }] }], "b"),
    ]) {
      expect(sameBytes(framedChunkSchemaMessage(chunk), framedSchemaMessage(chunkSchema(chunk)))).toBe(true);
    }
  });
});
