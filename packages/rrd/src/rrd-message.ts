import type { Tuid } from "@iris/types";

/** Which store a message belongs to. Rerun's `StoreId` (the application id travels inside it). */
export interface StoreId {
  kind: "recording" | "blueprint";
  recordingId: string;
  applicationId: string;
}

/**
 * Where a store's data comes from: a `StoreSourceKind` value (see the generated enum; Iris writes OTHER = 6) and
 * the raw `StoreSourceExtra.payload` (for OTHER a UTF-8 string such as "iris 0.1").
 */
export interface StoreSource {
  kind: number;
  extra?: Uint8Array;
}

/**
 * Announces a store. Must come before the first `arrowMsg` of its store. An absent `storeSource` is written as an
 * empty (but present) `StoreSource`, and an empty one decodes as absent.
 */
export interface SetStoreInfoMessage {
  kind: "setStoreInfo";
  rowId: Tuid;
  storeId: StoreId;
  storeSource?: StoreSource;
  /** `StoreVersion.crate_version_bits` (see `crateVersionToBits`). Rerun overwrites it with the stream header's. */
  storeVersionBits?: number;
}

/** One chunk as an Arrow IPC stream. */
export interface ArrowMsgMessage {
  kind: "arrowMsg";
  storeId: StoreId;
  /** The chunk's id; Rerun's decoder ignores it (it reads `rerun:id` from the IPC schema), but writers set both. */
  chunkId?: Tuid;
  /** True iff the chunk has no index columns; used by the gRPC proxy to keep static data. */
  isStatic?: boolean;
  /** UNCOMPRESSED Arrow IPC stream bytes (schema, one record batch, end-of-stream). */
  ipc: Uint8Array;
  /**
   * The same bytes as `ipc` as consecutive parts that were never joined (e.g. views of the pixels an image was
   * logged with; see `arrowMsgFromParts`, where `ipc` joins them only if read). Encoders that can write parts
   * use these instead of `ipc`.
   */
  ipcParts?: readonly Uint8Array[];
}

export interface BlueprintActivationMessage {
  kind: "blueprintActivation";
  blueprintId: StoreId;
  makeActive: boolean;
  makeDefault: boolean;
}

/** The messages of an `.rrd` stream or a gRPC `LogMsg`, as plain data (not the generated protobuf classes). */
export type RrdMessage = SetStoreInfoMessage | ArrowMsgMessage | BlueprintActivationMessage;
