import type { ComponentDescriptor } from "@iris/types";

/** Column names of an RRD manifest (Rerun's `RawRrdManifest::FIELD_*`). */
export const ManifestColumn = {
  entityPath: "chunk_entity_path",
  chunkId: "chunk_id",
  isStatic: "chunk_is_static",
  numRows: "chunk_num_rows",
  byteOffset: "chunk_byte_offset",
  byteSize: "chunk_byte_size",
  byteSizeUncompressed: "chunk_byte_size_uncompressed",
} as const;

/** Rerun's `ArchetypeName::short_name`: `rerun.archetypes.Image` → `Image`. */
export function archetypeShortName(archetype: string): string {
  for (const prefix of ["rerun.archetypes.", "rerun.blueprint.archetypes.", "rerun."]) {
    if (archetype.startsWith(prefix)) return archetype.slice(prefix.length);
  }
  return archetype;
}

/** Rerun's `archetype_field_name`: `Image:buffer` with archetype Image → `buffer`. */
function archetypeFieldName(d: ComponentDescriptor): string {
  if (d.archetype !== undefined) {
    const prefix = `${archetypeShortName(d.archetype)}:`;
    if (d.component.startsWith(prefix)) return d.component.slice(prefix.length);
  }
  return d.component;
}

/**
 * Rerun's `RawRrdManifest::compute_column_name(None, None, desc, prefix, suffix)`: the non-empty parts joined
 * with `:`, then `,`, ` `, `-`, `.`, `\` replaced with `_` and leading `_` removed.
 */
export function manifestColumnName(
  descriptor: ComponentDescriptor | undefined,
  prefix: string | undefined,
  suffix: string | undefined,
): string {
  const parts = [
    prefix,
    descriptor?.archetype === undefined ? undefined : archetypeShortName(descriptor.archetype),
    descriptor === undefined ? undefined : archetypeFieldName(descriptor),
    suffix,
  ].filter((p): p is string => p !== undefined && p.length > 0);
  return parts
    .join(":")
    .replace(/[, .\\-]/g, "_")
    .replace(/^_+/, "");
}

/** Orders descriptors like Rerun's derived `Ord` (archetype, none first; component; component type). */
export function compareDescriptors(a: ComponentDescriptor, b: ComponentDescriptor): number {
  return (
    compareOptional(a.archetype, b.archetype) ||
    compareStrings(a.component, b.component) ||
    compareOptional(a.componentType, b.componentType)
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return compareStrings(a, b);
}

/** Field metadata naming a component (`rerun:component_type`, `rerun:archetype`, `rerun:component`). */
export function descriptorMetadata(d: ComponentDescriptor): [string, string][] {
  const out: [string, string][] = [];
  if (d.componentType !== undefined) out.push(["rerun:component_type", d.componentType]);
  if (d.archetype !== undefined) out.push(["rerun:archetype", d.archetype]);
  out.push(["rerun:component", d.component]);
  return out;
}

/** A stable key for a descriptor (component identifiers are unique per chunk, not per recording). */
export function descriptorKey(d: ComponentDescriptor): string {
  return `${d.archetype ?? ""}\u0000${d.component}\u0000${d.componentType ?? ""}`;
}
