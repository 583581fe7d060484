import type { Data, DataType } from "apache-arrow";

/**
 * How one Rerun component type is stored in Arrow: its inner datatype (the type of the elements of a component
 * column's `List<item: T>`), and the conversion of JS values to and from Arrow data.
 *
 * `toArrow(values)` returns Data of `arrowType` with one element per value (instance). `fromArrow(data, i)`
 * reads element `i` back; it is lenient about nullability like Rerun's deserialisers, but never guesses.
 */
export interface ComponentType<T> {
  /** Fully qualified name, e.g. `rerun.components.ImageBuffer`. */
  readonly name: string;
  readonly arrowType: DataType;
  toArrow(values: readonly T[]): Data;
  fromArrow(data: Data, index: number): T;
}
