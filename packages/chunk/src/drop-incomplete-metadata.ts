import type { Field, Schema } from "apache-arrow";

/**
 * Removes custom-metadata entries whose key or value is missing (apache-arrow reads an absent flatbuffer string
 * as `null`, although its maps are typed `Map<string, string>`), in the schema and in every field, nested ones
 * included. arrow-rs (Rerun's reader) ignores such entries the same way.
 */
export function dropIncompleteMetadata(schema: Schema): void {
  dropFrom(schema.metadata);
  for (const field of schema.fields) dropFromField(field);
}

function dropFromField(field: Field): void {
  dropFrom(field.metadata);
  for (const child of (field.type.children as Field[] | null | undefined) ?? []) dropFromField(child);
}

function dropFrom(metadata: Map<string, string>): void {
  for (const [key, value] of metadata) {
    if (typeof key !== "string" || typeof value !== "string") metadata.delete(key);
  }
}
