import type { Chunk } from "@iris/chunk";
import type { DataType } from "apache-arrow";
import type { ComponentDescriptor, TimeType, Tuid } from "@iris/types";

export interface LatestAtQuery {
  readonly entityPath: string;
  readonly timeline: string;
  readonly time: bigint;
  /** Component identifier, e.g. `Image:buffer`. */
  readonly component: string;
}

/** Inclusive on both ends. */
export interface RangeQuery {
  readonly entityPath: string;
  readonly timeline: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly component: string;
}

/** One row of one chunk that a query selected. Read its value with `chunk.componentValues(component, row, …)`. */
export interface QueryRow {
  readonly chunk: Chunk;
  readonly row: number;
  /** The row's time on the queried timeline; null for static data. */
  readonly time: bigint | null;
  readonly rowId: Tuid;
  readonly isStatic: boolean;
}

/** A query row with its component values read through a `ComponentType` (an empty array is a clear). */
export interface QueryValues<T> {
  readonly time: bigint | null;
  readonly rowId: Tuid;
  readonly isStatic: boolean;
  readonly values: T[];
}

export interface TimelineInfo {
  readonly name: string;
  readonly type: TimeType;
  /** Smallest and greatest time of the stored temporal data on this timeline. */
  readonly min: bigint;
  readonly max: bigint;
}

export interface ComponentInfo {
  readonly descriptor: ComponentDescriptor;
  /** The Arrow type of the component column (`List<item: T>`), as first seen. */
  readonly listType: DataType;
  /** True when static data exists for this entity + component. */
  readonly hasStatic: boolean;
}
