/** Sorbet (Rerun's chunk schema) constants, version 0.1.3 as written by Rerun 0.33. */
export const SORBET_VERSION = "0.1.3";
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
