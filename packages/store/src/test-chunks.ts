import { Chunk, ChunkBuilder, type TimePoint } from "@iris/chunk";
import { type ComponentBatch, type TimeType, Tuid, batch, float32Component } from "@iris/types";

/** Test helpers: small chunks with hand-picked RowIds, ChunkIds and times. Not exported from the package. */

export const scalarType = float32Component("test.components.Scalar");

export const rowId = (n: number): Tuid => new Tuid(1_000n, BigInt(n));
export const chunkId = (n: number): Tuid => new Tuid(2_000n, BigInt(n));

export interface TestRow {
  readonly rowId: number;
  /** Timeline name → time; all rows of a chunk need the same timelines; none = static. */
  readonly times?: Readonly<Record<string, bigint>>;
  /** Component identifier → instances; a component left out (or null) is not logged in that row. */
  readonly values: Readonly<Record<string, readonly number[] | null>>;
}

export function testChunk(options: {
  id: number;
  entityPath?: string;
  rows: readonly TestRow[];
  timeType?: TimeType;
}): Chunk {
  const builder = new ChunkBuilder(options.entityPath ?? "/e");
  for (const row of options.rows) {
    const timepoint: TimePoint = new Map(
      Object.entries(row.times ?? {}).map(([name, value]) => [
        name,
        { type: options.timeType ?? "sequence", value },
      ]),
    );
    const batches: ComponentBatch[] = [];
    for (const [component, values] of Object.entries(row.values)) {
      if (values === null) continue;
      batches.push(
        batch(
          { component, archetype: "test.archetypes.Test", componentType: scalarType.name },
          scalarType,
          values,
        ),
      );
    }
    builder.addRow(rowId(row.rowId), timepoint, batches);
  }
  return builder.build(chunkId(options.id));
}
