import { H2Error } from "@iris/rrd/node";

/** Frames with no effect (PING, SETTINGS, PRIORITY, unknown types, empty DATA, resets by the peer) per second. */
const IDLE_FRAMES_PER_SECOND = 10_000;
/** Streams the peer resets per second (rapid reset, CVE-2023-44487). */
const RESETS_PER_SECOND = 200;

/**
 * Counts, per second, the frames of one connection that cost the server work without moving a stream forward, and
 * the streams the peer resets; too many end the connection (an `H2Error` of kind "calm": ENHANCE_YOUR_CALM).
 */
export class H2cFloodGuard {
  private windowStart = 0;
  private idleFrames = 0;
  private resets = 0;

  /** A frame with no effect; throws when there were too many in the last second. */
  idle(): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.idleFrames = 0;
      this.resets = 0;
    }
    if (++this.idleFrames > IDLE_FRAMES_PER_SECOND || this.resets > RESETS_PER_SECOND) {
      throw new H2Error(
        "calm",
        `more than ${IDLE_FRAMES_PER_SECOND} control or empty frames, or ${RESETS_PER_SECOND} stream resets, in one second`,
      );
    }
  }

  /** The peer reset a stream (counted as a frame with no effect too). */
  reset(): void {
    this.resets++;
    this.idle();
  }
}
