import { type DataType, Field, FixedSizeBinary, Schema } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import { EntityPath, arrowTypeOfTimeType } from "@iris/types";

const ROW_ID_COLUMN = "rerun.controls.RowId";
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

  addChunk(chunk: Chunk): void {
    this.merge({
      name: ROW_ID_COLUMN,
      type: new FixedSizeBinary(16),
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
    for (const [name, column] of chunk.timelines) {
      this.merge({
        name,
        type: arrowTypeOfTimeType(column.timeline.type),
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
    const entity = EntityPath.parse(chunk.entityPath);
    for (const component of chunk.components.values()) {
      const d = component.descriptor;
      const metadata = new Map<string, string>([
        ["rerun:kind", "data"],
        ["rerun:component", d.component],
        ["rerun:entity_path", entity.toString()],
      ]);
      if (d.archetype !== undefined) metadata.set("rerun:archetype", d.archetype);
      if (d.componentType !== undefined) metadata.set("rerun:component_type", d.componentType);
      const list = component.list;
      const child = list.children[0];
      this.merge({
        name: `${dataframePrefix(entity)}:${d.component}`,
        type: list.type,
        nullable: true,
        metadata,
        isStatic: chunk.isStatic,
        isSemanticallyEmpty: child === undefined || child.length === 0,
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

  private merge(entry: ColumnEntry): void {
    const known = this.columns.get(entry.name);
    if (known === undefined) {
      this.columns.set(entry.name, entry);
      return;
    }
    known.isStatic ||= entry.isStatic;
    known.isSemanticallyEmpty &&= entry.isSemanticallyEmpty;
  }
}

/** Rerun's dataframe column prefix: the entity path, or `property` / `property:sub/path` under `/__properties`. */
function dataframePrefix(entity: EntityPath): string {
  if (entity.parts[0] !== PROPERTIES.parts[0]) return entity.toString();
  const suffix = new EntityPath(entity.parts.slice(1));
  return suffix.isRoot ? "property" : `property:${suffix.toString().replace(/^\/+/, "")}`;
}
