import type { ComponentDescriptor } from "./component-descriptor.ts";
import type { ComponentType } from "./component-type.ts";

/** Zero or more instances of one component, as logged in one row. */
export interface ComponentBatch<T = unknown> {
  readonly descriptor: ComponentDescriptor;
  readonly type: ComponentType<T>;
  readonly values: readonly T[];
}

/** One batch per row, for `sendColumns`. `rows[i]` is the batch of instances of row `i`. */
export interface ComponentColumn<T = unknown> {
  readonly descriptor: ComponentDescriptor;
  readonly type: ComponentType<T>;
  readonly rows: readonly (readonly T[])[];
}

/** Anything `log` accepts: archetypes and plain lists of component batches. */
export interface AsComponents {
  asComponentBatches(): readonly ComponentBatch[];
}

export function batch<T>(
  descriptor: ComponentDescriptor,
  type: ComponentType<T>,
  values: readonly T[],
): ComponentBatch {
  return { descriptor, type, values } as ComponentBatch;
}

export function column<T>(
  descriptor: ComponentDescriptor,
  type: ComponentType<T>,
  rows: readonly (readonly T[])[],
): ComponentColumn {
  return { descriptor, type, rows } as ComponentColumn;
}
