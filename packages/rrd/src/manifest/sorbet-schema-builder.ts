import { type DataType, Field, FixedSizeBinary, Schema } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import { EntityPath, type TimeType, arrowTypeOfTimeType } from "@iris/types";

const ROW_ID_COLUMN = "rerun.controls.RowId";
/** One type object per column kind, so that the schema message cache describes each type once (see chunkSchema). */
const ROW_ID_TYPE = new FixedSizeBinary(16);
const TIME_TYPES = new Map<TimeType, DataType>(
  (["sequence", "duration", "timestamp"] as const).map((t) => [t, arrowTypeOfTimeType(t)]),
);

function timeTypeOf(type: TimeType): DataType {
  return TIME_TYPES.get(type) ?? arrowTypeOfTimeType(type);
}
const PROPERTIES = EntityPath.parse("/__properties");

interface ColumnEntry {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Map<string, string>;
  /** Components only: "any chunk static" and "every chunk's list holds no values". */
  isStatic: boolean;
  isSemanticallyEmpty: boolean;
  isComponent: boolean;
}

/**
 * Rerun's `re_sorbet::SchemaBuilder`: the dataframe schema of a whole recording, merged over its chunks. One column
 * per dataframe column name (RowId, each timeline, each entity × component), with `rerun:is_static` when any chunk
 * of the column is static and `rerun:is_semantically_empty` when none holds a value.
 */
export class SorbetSchemaBuilder {
  private readonly columns = new Map<string, ColumnEntry>();
  private lastEntity: { raw: string; path: string; prefix: string } | undefined;

  addChunk(chunk: Chunk): void {
    // A column already known only merges its flags: its entry (metadata, type) is built the first time alone.
    if (!this.mergeKnown(ROW_ID_COLUMN, false, false)) {
      this.columns.set(ROW_ID_COLUMN, {
        name: ROW_ID_COLUMN,
        type: ROW_ID_TYPE,
        nullable: false,
        metadata: new Map([
          ["rerun:kind", "control"],
          ["ARROW:extension:name", "rerun.datatypes.TUID"],
          ["ARROW:extension:metadata", '{"namespace":"row"}'],
        ]),
        isStatic: false,
        isSemanticallyEmpty: false,
        isComponent: false,
      });
    }
    for (const [name, column] of chunk.timelines) {
      if (this.mergeKnown(name, false, false)) continue;
      this.columns.set(name, {
        name,
        type: timeTypeOf(column.timeline.type),
        nullable: true,
        metadata: new Map([
          ["rerun:kind", "index"],
          ["rerun:index_name", name],
        ]),
        isStatic: false,
        isSemanticallyEmpty: false,
        isComponent: false,
      });
    }
    const entity = this.entityOf(chunk.entityPath);
    for (const component of chunk.components.values()) {
      const d = component.descriptor;
      const list = component.list;
      const child = list.children[0];
      const name = `${entity.prefix}:${d.component}`;
      const isSemanticallyEmpty = child === undefined || child.length === 0;
      if (this.mergeKnown(name, chunk.isStatic, isSemanticallyEmpty)) continue;
      const metadata = new Map<string, string>([
        ["rerun:kind", "data"],
        ["rerun:component", d.component],
        ["rerun:entity_path", entity.path],
      ]);
      if (d.archetype !== undefined) metadata.set("rerun:archetype", d.archetype);
      if (d.componentType !== undefined) metadata.set("rerun:component_type", d.componentType);
      this.columns.set(name, {
        name,
        type: list.type,
        nullable: true,
        metadata,
        isStatic: chunk.isStatic,
        isSemanticallyEmpty,
        isComponent: true,
      });
    }
  }

  /** The merged columns, in the order first seen. */
  build(): Field[] {
    return [...this.columns.values()].map((c) => {
      const metadata = new Map(c.metadata);
      if (c.isComponent) {
        if (c.isStatic) metadata.set("rerun:is_static", "true");
        if (
          metadata.get("rerun:component") === "Clear:is_recursive" &&
          metadata.get("rerun:archetype") === "rerun.archetypes.Clear"
        ) {
          metadata.set("rerun:is_tombstone", "true");
        }
        if (c.isSemanticallyEmpty) metadata.set("rerun:is_semantically_empty", "true");
      }
      return new Field(c.name, c.type, c.nullable, metadata);
    });
  }

  buildSchema(): Schema {
    return new Schema(this.build());
  }

  /** Merges the flags of a column seen before (true), or returns false for a new column. */
  private mergeKnown(name: string, isStatic: boolean, isSemanticallyEmpty: boolean): boolean {
    const known = this.columns.get(name);
    if (known === undefined) return false;
    known.isStatic ||= isStatic;
    known.isSemanticallyEmpty &&= isSemanticallyEmpty;
    return true;
  }

  /** The entity path as written and its dataframe prefix (the last chunk's, reused while chunks share it). */
  private entityOf(raw: string): { path: string; prefix: string } {
    if (this.lastEntity?.raw !== raw) {
      const entity = EntityPath.parse(raw);
      this.lastEntity = { raw, path: entity.toString(), prefix: dataframePrefix(entity) };
    }
    return this.lastEntity;
  }
}

/** Rerun's dataframe column prefix: the entity path, or `property` / `property:sub/path` under `/__properties`. */
function dataframePrefix(entity: EntityPath): string {
  if (entity.parts[0] !== PROPERTIES.parts[0]) return entity.toString();
  const suffix = new EntityPath(entity.parts.slice(1));
  return suffix.isRoot ? "property" : `property:${suffix.toString().replace(/^\/+/, "")}`;
}
