import { IrisError } from "@iris/types";
import { ErrorCode } from "./h2-frame.ts";

/**
 * A peer that broke HTTP/2 (RFC 9113): "protocol" (PROTOCOL_ERROR), "flow-control", "frame-size", "compression"
 * (its header block), "calm" (a flood of frames that cost work without progress). `code` is the HTTP/2 error code
 * sent to the peer in GOAWAY.
 */
export type H2ErrorKind = "protocol" | "flow-control" | "frame-size" | "compression" | "calm";

const CODES: Record<H2ErrorKind, number> = {
  protocol: ErrorCode.PROTOCOL_ERROR,
  "flow-control": ErrorCode.FLOW_CONTROL_ERROR,
  "frame-size": ErrorCode.FRAME_SIZE_ERROR,
  compression: ErrorCode.COMPRESSION_ERROR,
  calm: ErrorCode.ENHANCE_YOUR_CALM,
};

export class H2Error extends IrisError<H2ErrorKind> {
  /** The HTTP/2 error code that names this error to the peer. */
  get code(): number {
    return CODES[this.kind];
  }
}
