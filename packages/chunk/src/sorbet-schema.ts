/** Sorbet (Rerun's chunk schema) constants, version 0.1.3 as written by Rerun 0.33. */
export const SORBET_VERSION = "0.1.3";
/**
 * The newest Sorbet version Iris reads (Rerun 0.41 writes 0.1.4). 0.1.4 only renamed the blueprint's
 * `TableColumn:cell_kind` (`rerun.blueprint.components.TableCellKind`) to `TableColumn:column_type`
 * (`rerun.blueprint.components.ColumnType`); Rerun 0.41 migrates 0.1.3 chunks, so Iris keeps writing 0.1.3.
 */
export const SORBET_READ_VERSION = "0.1.4";
export const ROW_ID_COLUMN = "rerun.controls.RowId";

export const MetadataKey = {
  chunkId: "rerun:id",
  entityPath: "rerun:entity_path",
  sorbetVersion: "sorbet:version",
  kind: "rerun:kind",
  isSorted: "rerun:is_sorted",
  indexName: "rerun:index_name",
  component: "rerun:component",
  archetype: "rerun:archetype",
  componentType: "rerun:component_type",
  extensionName: "ARROW:extension:name",
  extensionMetadata: "ARROW:extension:metadata",
} as const;
