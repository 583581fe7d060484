import { BufferType, Data, type DataType, type List } from "apache-arrow";
import { isValidAt } from "@iris/types";
import { concatData } from "./arrow-concat.ts";
import { StoreError } from "./store-error.ts";

/** One cell of a `List<item: T>` column: row `row` of `list`. */
export interface ListCell {
  readonly list: Data<List>;
  readonly row: number;
}

/**
 * Builds a `List<item: T>` column of `listType` from cells picked out of other list columns (null = a null
 * cell). Consecutive rows of one source become one slice, so the child values are copied once, generically,
 * whatever their Arrow type: unknown components pass through untouched.
 */
export function gatherListCells(listType: DataType, cells: readonly (ListCell | null)[]): Data<List> {
  const length = cells.length;
  const offsets = new Int32Array(length + 1);
  const bitmap = new Uint8Array(((length + 63) & ~63) >> 3);
  const childParts: Data[] = [];
  let nullCount = 0;
  let total = 0;
  let run: { list: Data<List>; start: number; end: number } | undefined;
  const flush = (): void => {
    if (run && run.end > run.start)
      childParts.push(run.list.children[0]!.slice(run.start, run.end - run.start));
    run = undefined;
  };
  cells.forEach((cell, i) => {
    if (cell === null || !isValidAt(cell.list, cell.row)) {
      nullCount++;
      offsets[i + 1] = total;
      return;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    const cellOffsets = cell.list.valueOffsets;
    const start = cellOffsets[cell.row]!;
    const end = cellOffsets[cell.row + 1]!;
    if (run && run.list === cell.list && run.end === start) {
      run.end = end;
    } else {
      flush();
      run = { list: cell.list, start, end };
    }
    total += end - start;
    if (total > 0x7fffffff) {
      throw new StoreError("unsupported-arrow-type", `a gathered list column cannot exceed 2^31 values`);
    }
    offsets[i + 1] = total;
  });
  flush();
  const childType = listType.children[0]!.type as DataType;
  const child = concatData(childType, childParts);
  return new Data(
    listType as List,
    0,
    length,
    nullCount,
    {
      [BufferType.OFFSET]: offsets,
      [BufferType.VALIDITY]: nullCount > 0 ? bitmap : new Uint8Array(0),
    } as ConstructorParameters<typeof Data<List>>[4],
    [child],
  );
}
