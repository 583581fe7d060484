import {
  Field,
  type List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  tableToIPC,
  type Data,
} from "apache-arrow";
import { MetadataKey } from "@iris/chunk";
import {
  type ComponentDescriptor,
  TIME_MAX,
  TIME_MIN,
  arrowTypeOfTimeType,
  primitiveData,
} from "@iris/types";
import type { ChunkStore } from "./chunk-store.ts";
import { selectsEntity } from "./entity-filter.ts";
import { type ListCell, gatherListCells } from "./list-gather.ts";
import type { QueryRow } from "./query-types.ts";
import { StoreError } from "./store-error.ts";

export interface DataframeQuery {
  /** The timeline whose distinct values become the rows. */
  readonly index: string;
  /** Inclusive range of index values; default: everything. */
  readonly range?: readonly [bigint, bigint];
  /**
   * Exact entity paths, or `/prefix/**` for a subtree (the prefix itself included); default: all entities. As in
   * Rerun, the recording properties (`/__properties`) are left out unless a filter inside that subtree names them.
   */
  readonly entities?: readonly string[];
  /** Component identifiers (e.g. `Image:buffer`); default: all components. */
  readonly components?: readonly string[];
  /**
   * false: a cell holds the latest row (greatest RowId) logged at exactly that index value, or null.
   * true: a cell holds the latest-at value at that index value (earlier rows fill the gaps).
   * Either way static data, when an entity + component has any, fills every cell of its column, as in Rerun's
   * dataframe (static data overrides temporal data).
   */
  readonly sparseFill: boolean;
}

interface ColumnPlan {
  readonly entityPath: string;
  readonly descriptor: ComponentDescriptor;
  readonly listType: Data<List>["type"];
  readonly staticRow: QueryRow | undefined;
  /** Temporal rows in the range, sorted by (time, RowId). */
  readonly rows: readonly QueryRow[];
}

/**
 * A dataframe over the store (Rerun's `re_dataframe`): one row per distinct index value (sorted) at which any
 * selected column has data, the index column first (same Arrow type as the timeline), then one `List<item: T>`
 * column per (entity, component), named `<entity>:<component>`, with Rerun's field metadata. Columns are built
 * by slicing and concatenating the stored Arrow data, so components of any Arrow type pass through as they are.
 */
export function queryDataframe(store: ChunkStore, query: DataframeQuery): Table {
  const timeType = store.timelineType(query.index);
  if (timeType === undefined) {
    throw new StoreError(
      "unknown-timeline",
      `no data was ever stored on timeline ${JSON.stringify(query.index)}`,
    );
  }
  const [start, end] = query.range ?? [TIME_MIN, TIME_MAX];
  if (start > end) throw new StoreError("invalid-query", `dataframe range [${start}, ${end}] is empty`);

  const plans: ColumnPlan[] = [];
  for (const entityPath of store.entityPaths()) {
    if (!selectsEntity(entityPath, query.entities)) continue;
    for (const info of store.componentsOf(entityPath)) {
      const component = info.descriptor.component;
      if (query.components && !query.components.includes(component)) continue;
      const rowQuery = { entityPath, timeline: query.index, start, end, component };
      plans.push({
        entityPath,
        descriptor: info.descriptor,
        listType: info.listType as ColumnPlan["listType"],
        staticRow: store.latestStatic(entityPath, component),
        rows: store.rangeTemporal(rowQuery),
      });
    }
  }

  const indexValues = distinctSorted(plans.flatMap((p) => p.rows.map((r) => r.time!)));
  const fields: Field[] = [];
  const columns: Data[] = [];

  const indexType = arrowTypeOfTimeType(timeType);
  fields.push(
    new Field(
      query.index,
      indexType,
      false,
      new Map([
        [MetadataKey.kind, "index"],
        [MetadataKey.indexName, query.index],
      ]),
    ),
  );
  columns.push(primitiveData(indexType, BigInt64Array.from(indexValues), indexValues.length));

  for (const plan of plans) {
    const cells = plan.staticRow
      ? indexValues.map(() => cellOf(plan, plan.staticRow!))
      : query.sparseFill
        ? sparseFilledCells(store, plan, query.index, indexValues)
        : exactCells(plan, indexValues);
    const meta = new Map<string, string>([
      [MetadataKey.kind, "data"],
      [MetadataKey.entityPath, plan.entityPath],
      [MetadataKey.component, plan.descriptor.component],
    ]);
    if (plan.descriptor.archetype !== undefined) meta.set(MetadataKey.archetype, plan.descriptor.archetype);
    if (plan.descriptor.componentType !== undefined) {
      meta.set(MetadataKey.componentType, plan.descriptor.componentType);
    }
    if (plan.staticRow) meta.set("rerun:is_static", "true");
    fields.push(new Field(`${plan.entityPath}:${plan.descriptor.component}`, plan.listType, true, meta));
    columns.push(gatherListCells(plan.listType, cells));
  }

  const schema = new Schema(fields);
  const struct = makeData({
    type: new Struct(fields),
    length: indexValues.length,
    nullCount: 0,
    children: columns,
  });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** The table as an Arrow IPC file (the `.arrow` / Feather v2 format). */
export function tableToIpcBytes(table: Table): Uint8Array {
  return tableToIPC(table, "file");
}

function cellOf(plan: ColumnPlan, row: QueryRow): ListCell {
  const list = row.chunk.components.get(plan.descriptor.component)!.list;
  return { list, row: row.row };
}

/** Per index value: the row with the greatest RowId at exactly that value (rows are sorted by (time, RowId)). */
function exactCells(plan: ColumnPlan, indexValues: readonly bigint[]): (ListCell | null)[] {
  const cells: (ListCell | null)[] = [];
  let r = 0;
  for (const t of indexValues) {
    let last: QueryRow | undefined;
    while (r < plan.rows.length && plan.rows[r]!.time! <= t) {
      if (plan.rows[r]!.time === t) last = plan.rows[r];
      r++;
    }
    cells.push(last ? cellOf(plan, last) : null);
  }
  return cells;
}

/** Per index value: the latest-at row, including rows logged before the range starts. */
function sparseFilledCells(
  store: ChunkStore,
  plan: ColumnPlan,
  timeline: string,
  indexValues: readonly bigint[],
): (ListCell | null)[] {
  const first = indexValues[0];
  if (first === undefined) return [];
  let current = store.latestAtTemporal({
    entityPath: plan.entityPath,
    timeline,
    time: first,
    component: plan.descriptor.component,
  });
  const cells: (ListCell | null)[] = [];
  let r = 0;
  for (const t of indexValues) {
    while (r < plan.rows.length && plan.rows[r]!.time! <= t) current = plan.rows[r++];
    cells.push(current ? cellOf(plan, current) : null);
  }
  return cells;
}

function distinctSorted(values: bigint[]): bigint[] {
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
