/** The version of the index file layout; an index of another version is rebuilt from scratch. */
export const DATASET_INDEX_VERSION = 1;

/** The index file `iris dataset index DIR` keeps in DIR. */
export const DATASET_INDEX_FILE = ".iris-dataset.json";

/** One recording store found in a member file. Times are decimal strings of bigint nanoseconds / sequence numbers. */
export interface RecordingEntry {
  readonly applicationId: string;
  readonly recordingId: string;
  /** `RecordingInfo:name` at `/__properties`, if logged. */
  readonly name: string | null;
  /** `RecordingInfo:start_time` (nanoseconds since the Unix epoch), if logged. */
  readonly startTime: string | null;
  /** Timeline name → "sequence" | "duration" | "timestamp". */
  readonly timelines: Record<string, string>;
}

/** One chunk of a member, from its manifest (or from the sequential pass for files without a footer). */
export interface ChunkEntry {
  readonly recordingId: string;
  readonly chunkId: string;
  readonly entityPath: string;
  readonly isStatic: boolean;
  readonly numRows: number;
  /** Absolute offset of the chunk's ArrowMsg payload in the file, and its length (for `readChunkAt`). */
  readonly byteOffset: number;
  readonly byteSize: number;
  /** Timeline → [min, max] (inclusive) as decimal strings. */
  readonly timeRanges: Record<string, [string, string]>;
  readonly components: string[];
}

/** One logged image (a row with an image buffer), its resolved format and per-channel statistics. */
export interface ImageEntry {
  readonly recordingId: string;
  readonly chunkId: string;
  readonly row: number;
  /** The archetype the buffer belongs to (`Image`, `DepthImage`, `SegmentationImage`). */
  readonly archetype: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly colorModel: string | null;
  readonly channelDatatype: string | null;
  readonly pixelFormat: string | null;
  /** Per channel, in stored order; null when not computable (pixel formats, no format, size mismatch). */
  readonly min: number[] | null;
  readonly max: number[] | null;
  readonly mean: number[] | null;
}

/** One file of the dataset. */
export interface MemberEntry {
  /** Path relative to the dataset root, with `/` separators. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** "footer": read through its RrdFooter manifests; "scan": one sequential pass (no or damaged footer). */
  readonly indexedWith: "footer" | "scan" | "none";
  /** Why the member could not be indexed (it is then left out of every table); null when it was. */
  readonly error: string | null;
  /** Problems that did not stop the member (skipped messages, images without statistics). */
  readonly notes: string[];
  readonly recordings: RecordingEntry[];
  readonly chunks: ChunkEntry[];
  readonly images: ImageEntry[];
}

export interface DatasetIndex {
  readonly version: number;
  readonly members: MemberEntry[];
}
