import type { ComponentDescriptor } from "@iris/types";

/**
 * Reading chunks written by older Rerun versions (rrd-format.md §4.2): the Sorbet version comes from
 * `sorbet:version`, or is guessed as Rerun does (any `rerun.`-prefixed schema key ⇒ 0.0.1; a `rerun:version`
 * key ⇒ 0.0.2; otherwise 0.0.1). Older metadata keys used `.` where 0.1 uses `:` (`rerun.id`, `rerun.kind`, …).
 * The component-level migrations the spec describes are applied in memory:
 * - before 0.1.1: indicator columns are dropped;
 * - before 0.1.2: `Pose*` component types become the regular ones and `Transform3D:axis_length` becomes
 *   `TransformAxes3D:axis_length`;
 * - before 0.1.3: `SeriesVisible` becomes `Visible`;
 * - before 0.1.4: the blueprint's `TableColumn:cell_kind` (`TableCellKind`) becomes `TableColumn:column_type`
 *   (`ColumnType`), as Rerun 0.41's `v0_1_3__to__v0_1_4` migration does.
 * Anything else in those old layouts is read as it is.
 */
export function sorbetVersionOf(schemaMetadata: ReadonlyMap<string, string>): string {
  const explicit = schemaMetadata.get("sorbet:version");
  if (explicit !== undefined) return explicit;
  const keys = [...schemaMetadata.keys()];
  if (keys.some((k) => k.startsWith("rerun."))) return "0.0.1";
  if (schemaMetadata.has("rerun:version")) return "0.0.2";
  return "0.0.1";
}

/** Compares dotted versions numerically (`0.1.10` > `0.1.3`). */
export function compareSorbetVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A metadata value under its 0.1 key (`rerun:kind`) or its pre-0.1 spelling (`rerun.kind`). */
export function metadataValue(metadata: ReadonlyMap<string, string>, key: string): string | undefined {
  return metadata.get(key) ?? metadata.get(key.replace(/^rerun:/, "rerun."));
}

const TABLE_CELL_KIND = "rerun.blueprint.components.TableCellKind";

const POSE_TYPES: Record<string, string> = {
  "rerun.components.PoseTranslation3D": "rerun.components.Translation3D",
  "rerun.components.PoseRotationAxisAngle": "rerun.components.RotationAxisAngle",
  "rerun.components.PoseRotationQuat": "rerun.components.RotationQuat",
  "rerun.components.PoseScale3D": "rerun.components.Scale3D",
  "rerun.components.PoseTransformMat3x3": "rerun.components.TransformMat3x3",
};

/** The descriptor as a 0.1.4 reader sees it, or undefined when the column is dropped (indicators). */
export function migrateDescriptor(version: string, d: ComponentDescriptor): ComponentDescriptor | undefined {
  let out: ComponentDescriptor = d;
  if (compareSorbetVersions(version, "0.1.1") < 0) {
    const isIndicator = [out.component, out.componentType ?? ""].some((s) => s.endsWith("Indicator"));
    if (isIndicator) return undefined;
  }
  if (compareSorbetVersions(version, "0.1.2") < 0) {
    const type = out.componentType !== undefined ? POSE_TYPES[out.componentType] : undefined;
    if (type !== undefined) out = { ...out, componentType: type };
    if (out.component === "Transform3D:axis_length") {
      out = {
        ...out,
        component: "TransformAxes3D:axis_length",
        archetype: "rerun.archetypes.TransformAxes3D",
      };
    }
  }
  if (compareSorbetVersions(version, "0.1.3") < 0 && out.componentType === "rerun.components.SeriesVisible") {
    out = { ...out, componentType: "rerun.components.Visible" };
  }
  if (
    compareSorbetVersions(version, "0.1.4") < 0 &&
    (out.component === "TableColumn:cell_kind" || out.componentType === TABLE_CELL_KIND)
  ) {
    out = {
      ...out,
      ...(out.component === "TableColumn:cell_kind" ? { component: "TableColumn:column_type" } : {}),
      ...(out.componentType === TABLE_CELL_KIND
        ? { componentType: "rerun.blueprint.components.ColumnType" }
        : {}),
    };
  }
  return out;
}

/**
 * Rerun's Sorbet 0.0.2 → 0.1.0 migration of a legacy component descriptor (Rerun ≤ 0.23 wrote the component
 * type in `rerun.component` and the archetype field in `rerun.archetype_field`): with both an archetype and a
 * field, the component becomes `<Archetype short name>:<field>` and the old component its type; with a field only,
 * the field is the component. Returns undefined when the field carries no legacy `rerun.component`.
 */
export function legacyDescriptor(metadata: ReadonlyMap<string, string>): ComponentDescriptor | undefined {
  const component = metadata.get("rerun.component");
  const archetype = metadata.get("rerun.archetype");
  const field = metadata.get("rerun.archetype_field");
  // Without an archetype field Rerun keeps the component as it is, which the regular path already does.
  if (component === undefined || field === undefined) return undefined;
  if (archetype === undefined) return { component: field, componentType: component };
  const short = archetype.replace(/^rerun\.(blueprint\.)?archetypes\./, "");
  return { component: `${short}:${field}`, archetype, componentType: component };
}
