import { Field, RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { Image, Tuid, float32Component, batch } from "@iris/types";
import { ChunkBuilder } from "./chunk-builder.ts";
import { chunkToRecordBatch } from "./chunk-to-record-batch.ts";
import { recordBatchToChunk } from "./record-batch-to-chunk.ts";
import { migrateDescriptor, sorbetVersionOf } from "./sorbet-migration.ts";

/** Rewrites a record batch's schema and field metadata, as an older Rerun would have written it. */
function rewrite(
  rb: RecordBatch,
  schemaMeta: (m: Map<string, string>) => Map<string, string>,
  fieldMeta: (m: Map<string, string>) => Map<string, string>,
): RecordBatch {
  const fields = rb.schema.fields.map(
    (f) => new Field(f.name, f.type, f.nullable, fieldMeta(new Map(f.metadata))),
  );
  const schema = new Schema(fields, schemaMeta(new Map(rb.schema.metadata)));
  const data = makeData({
    type: new Struct(fields),
    length: rb.numRows,
    nullCount: 0,
    children: rb.data.children,
  });
  return new RecordBatch(schema, data);
}

const scalar = float32Component("rerun.components.Scalar");

function sampleBatch(): RecordBatch {
  const image = new Image(new Uint8Array([1, 2, 3, 4]), { width: 2, height: 2 });
  const builder = new ChunkBuilder("/cam");
  builder.addRow(new Tuid(1n, 1n), new Map([["frame", { type: "sequence", value: 3n }]]), [
    ...image.asComponentBatches(),
    batch({ component: "Image:indicator", componentType: "rerun.components.ImageIndicator" }, scalar, [0]),
    batch(
      {
        component: "Transform3D:translation",
        archetype: "rerun.archetypes.Transform3D",
        componentType: "rerun.components.PoseTranslation3D",
      },
      scalar,
      [1],
    ),
    batch(
      {
        component: "Transform3D:axis_length",
        archetype: "rerun.archetypes.Transform3D",
        componentType: "rerun.components.AxisLength",
      },
      scalar,
      [2],
    ),
    batch(
      { component: "SeriesLines:visible_series", componentType: "rerun.components.SeriesVisible" },
      scalar,
      [3],
    ),
  ]);
  return chunkToRecordBatch(builder.build(new Tuid(5n, 6n)));
}

describe("reading older Sorbet versions", () => {
  it("guesses the version as Rerun does", () => {
    expect(sorbetVersionOf(new Map([["sorbet:version", "0.1.2"]]))).toBe("0.1.2");
    expect(sorbetVersionOf(new Map([["rerun.id", "x"]]))).toBe("0.0.1");
    expect(sorbetVersionOf(new Map([["rerun:version", "0.23"]]))).toBe("0.0.2");
    expect(sorbetVersionOf(new Map())).toBe("0.0.1");
  });

  it("leaves 0.1.3 chunks untouched", () => {
    const chunk = recordBatchToChunk(sampleBatch());
    expect([...chunk.components.keys()].sort()).toEqual([
      "Image:buffer",
      "Image:format",
      "Image:indicator",
      "SeriesLines:visible_series",
      "Transform3D:axis_length",
      "Transform3D:translation",
    ]);
  });

  it("migrates a pre-0.1 chunk with dotted keys: drops indicators, renames Pose*, axis_length and SeriesVisible", () => {
    const old = rewrite(
      sampleBatch(),
      (m) => {
        const out = new Map<string, string>();
        for (const [k, v] of m) if (k !== "sorbet:version") out.set(k.replace(/^rerun:/, "rerun."), v);
        return out;
      },
      (m) => new Map([...m].map(([k, v]) => [k.replace(/^rerun:/, "rerun."), v])),
    );
    const chunk = recordBatchToChunk(old);
    expect(chunk.entityPath).toBe("/cam");
    expect(chunk.id.equals(new Tuid(5n, 6n))).toBe(true);
    expect([...chunk.timelines.keys()]).toEqual(["frame"]);
    expect([...chunk.components.keys()].sort()).toEqual([
      "Image:buffer",
      "Image:format",
      "SeriesLines:visible_series",
      "Transform3D:translation",
      "TransformAxes3D:axis_length",
    ]);
    expect(chunk.components.get("Transform3D:translation")!.descriptor.componentType).toBe(
      "rerun.components.Translation3D",
    );
    expect(chunk.components.get("TransformAxes3D:axis_length")!.descriptor.archetype).toBe(
      "rerun.archetypes.TransformAxes3D",
    );
    expect(chunk.components.get("SeriesLines:visible_series")!.descriptor.componentType).toBe(
      "rerun.components.Visible",
    );
  });

  it("applies only the steps after the file's version", () => {
    const d = { component: "Transform3D:translation", componentType: "rerun.components.PoseTranslation3D" };
    expect(migrateDescriptor("0.1.2", d)).toEqual(d);
    expect(migrateDescriptor("0.1.1", d)!.componentType).toBe("rerun.components.Translation3D");
    expect(
      migrateDescriptor("0.1.1", {
        component: "Points3D:indicator",
        componentType: "rerun.components.Points3DIndicator",
      }),
    ).toBeDefined();
    expect(
      migrateDescriptor("0.1.0", {
        component: "Points3D:indicator",
        componentType: "rerun.components.Points3DIndicator",
      }),
    ).toBeUndefined();
    expect(
      migrateDescriptor("0.1.2", { component: "x", componentType: "rerun.components.SeriesVisible" })!
        .componentType,
    ).toBe("rerun.components.Visible");
  });

  it("0.1.3 → 0.1.4: the blueprint's TableCellKind becomes ColumnType (Rerun 0.41 writes 0.1.4)", () => {
    const cellKind = {
      component: "TableColumn:cell_kind",
      archetype: "rerun.blueprint.archetypes.TableColumn",
      componentType: "rerun.blueprint.components.TableCellKind",
    };
    expect(migrateDescriptor("0.1.3", cellKind)).toEqual({
      component: "TableColumn:column_type",
      archetype: "rerun.blueprint.archetypes.TableColumn",
      componentType: "rerun.blueprint.components.ColumnType",
    });
    expect(migrateDescriptor("0.1.4", cellKind)).toEqual(cellKind);
    const image = { component: "Image:buffer", componentType: "rerun.components.ImageBuffer" };
    expect(migrateDescriptor("0.1.3", image)).toEqual(image);
  });
});
