/** One column of the dataframe table: a component of an entity. */
export interface DataframeColumn {
  entityPath: string;
  component: string;
}

/**
 * What the dataframe table lists when its store does not hold the whole recording (one read on demand): the rows
 * and columns come from here, the cells from the store once their chunks are read. The table asks for the rows in
 * view (`showRows`) and re-renders on `onChange` (rows indexed, cells read).
 */
export interface DataframeRowSource {
  /** Every entity component of the recording (the table leaves out the recording properties). */
  columns(): DataframeColumn[];
  /** The sorted distinct index values on `timeline` known so far (grows while `status` says so). */
  times(timeline: string): ArrayLike<bigint>;
  /** A short line above the table while rows are still being indexed (or why indexing stopped); else undefined. */
  status(): string | undefined;
  /** Whether the store holds every row of `entityPath` at `time` on `timeline` (else the cells are not read yet). */
  cellsRead(entityPath: string, timeline: string, time: bigint): boolean;
  /** The rows in view: their times span [`min`, `max`] on `timeline`; their cells are read for `entityPaths`. */
  showRows(timeline: string, min: bigint, max: bigint, entityPaths: readonly string[]): void;
  /** The table is hidden: what `showRows` keeps may go (the next `showRows` reads it again). */
  release(): void;
  /** Calls `listener` when rows are added or cells read; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}
