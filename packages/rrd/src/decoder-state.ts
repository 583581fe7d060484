import type { MessageKind } from "./message-header.ts";
import type { RrdError } from "./rrd-error.ts";
import type { RrdWarningKind } from "./rrd-warning.ts";

/** Where the decoder is in the stream. */
export type DecoderState =
  | { name: "stream-header" }
  | { name: "message-header" }
  | { name: "payload"; kind: MessageKind; lengthBytes: number; headerOffset: number }
  | { name: "stream-footer"; rrdFooter: Uint8Array; rrdFooterOffset: number }
  | ResyncState
  | { name: "stopped" }
  | { name: "failed"; error: RrdError };

/**
 * Scanning for the next valid message after damage. `start` is where the lost bytes begin; `expected` is where
 * the next message should start if only the payload was damaged (no extra warning when it is found there);
 * `failure` is the warning to give if nothing valid follows (undefined when the damage was reported already).
 */
export interface ResyncState {
  name: "resync";
  start: number;
  expected: number | undefined;
  failure: { kind: RrdWarningKind; message: string } | undefined;
  /** Queued bytes the candidate at the front needs before it can be verified (so a wait costs nothing). */
  needBytes?: number | undefined;
}
