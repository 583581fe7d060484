import { H2Error } from "./h2-error.ts";
import { FRAME_HEADER_BYTES } from "./h2-frame.ts";
import type { H2FrameParser } from "./h2-frame-parser.ts";
import type { H2InPlaceBody } from "./h2-stream.ts";

/** Fewest DATA bytes worth a read in place (below, the read buffer takes them with the frames around them). */
const IN_PLACE_MIN_BYTES = 64 * 1024;

/**
 * Chooses where a socket reads next, for a connection whose large DATA frames may go straight into the memory of
 * the message they carry (`H2InPlaceBody`), client or server alike:
 * - inside a DATA frame with at least 64 KiB to go whose consumer offers that much: into the consumer's memory;
 * - right after such a frame: only the next frame header (9 bytes), so that the next DATA frame's bytes are not
 *   read into the read buffer with it (with 1 MiB frames that would be a quarter of every frame);
 * - otherwise: the connection's read buffer (`target` returns undefined).
 */
export class H2InPlaceReads {
  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  /** What the last target was for. */
  private pending: H2InPlaceBody | "header" | undefined;
  /** The last in-place read ended a DATA frame: the next read takes only a frame header. */
  private afterData = false;

  constructor(private readonly parser: H2FrameParser) {}

  /** Where the next read goes; `consumer`: the in-place consumer of the DATA frame being read, if any. */
  target(consumer: H2InPlaceBody | undefined): Uint8Array | undefined {
    this.pending = undefined;
    if (this.afterData && this.parser.atBoundary) {
      this.afterData = false;
      this.pending = "header";
      return this.header;
    }
    this.afterData = false;
    const remaining = this.parser.dataRemaining;
    if (consumer === undefined || remaining < IN_PLACE_MIN_BYTES) return undefined;
    const target = consumer.target(remaining);
    if (target === undefined || target.length < IN_PLACE_MIN_BYTES) return undefined;
    this.pending = consumer;
    return target;
  }

  /**
   * `n` bytes were read into the last target: a frame header goes to `push` (the parser, as read-buffer bytes do);
   * DATA read in place is reported to its consumer (`consumer` must still be the DATA frame's) and skipped in the
   * parser.
   */
  read(n: number, consumer: H2InPlaceBody | undefined, push: (bytes: Uint8Array) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === "header") {
      push(this.header.subarray(0, n));
      return;
    }
    if (pending === undefined || pending !== consumer) {
      throw new H2Error("protocol", "bytes read in place for a DATA frame that is no longer being read");
    }
    pending.filled(n);
    this.parser.skipData(n);
    this.afterData = this.parser.atBoundary;
  }
}
