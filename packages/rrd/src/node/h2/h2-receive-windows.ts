import { H2Error } from "./h2-error.ts";
import { DEFAULT_WINDOW_BYTES, MAX_WINDOW_BYTES, windowUpdateFrame } from "./h2-frame.ts";
import type { H2Stream } from "./h2-stream.ts";

/**
 * The receiving half of an `H2Session`'s flow control: the windows we grant the server, for the connection and
 * for each stream. DATA is counted against them (a server that sends beyond them breaks HTTP/2); what was received
 * is granted back in batches of a quarter of the window, and not while a stream is paused.
 */
export class H2ReceiveWindows {
  /** The window of the connection and of each stream, in bytes. */
  readonly size: number;
  private connection: number;
  /** Bytes the connection received but has not granted back yet. */
  private ungranted = 0;

  constructor(windowBytes: number) {
    this.size = Math.min(Math.max(windowBytes, DEFAULT_WINDOW_BYTES), MAX_WINDOW_BYTES);
    this.connection = this.size;
  }

  /** The WINDOW_UPDATE that raises the connection's window from the default to `size` (none if it is the default). */
  initialUpdate(): Uint8Array[] {
    return this.size > DEFAULT_WINDOW_BYTES ? [windowUpdateFrame(0, this.size - DEFAULT_WINDOW_BYTES)] : [];
  }

  /** Counts a DATA frame of `frameBytes` against the connection and `stream` (undefined: a stream we dropped). */
  received(streamId: number, stream: H2Stream | undefined, frameBytes: number): void {
    this.connection -= frameBytes;
    if (this.connection < 0) {
      throw new H2Error(
        "flow-control",
        `the server sent ${frameBytes} bytes of DATA beyond the connection window we granted (${this.connection + frameBytes} bytes left)`,
      );
    }
    this.ungranted += frameBytes;
    if (stream === undefined) return;
    stream.recvWindow -= frameBytes;
    if (stream.recvWindow < 0) {
      throw new H2Error(
        "flow-control",
        `the server sent ${frameBytes} bytes of DATA beyond the window we granted stream ${streamId} (${stream.recvWindow + frameBytes} bytes left)`,
      );
    }
    stream.ungranted += frameBytes;
  }

  /** The WINDOW_UPDATE frames due now: streams not paused, and the connection unless a stream is paused. */
  grants(streams: Iterable<H2Stream>): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let paused = false;
    const batch = this.size / 4;
    for (const s of streams) {
      if (s.isPaused) paused = true;
      else if (s.ungranted >= batch) {
        frames.push(windowUpdateFrame(s.id, s.ungranted));
        s.recvWindow += s.ungranted;
        s.ungranted = 0;
      }
    }
    // A paused stream holds the connection's window back too: a server that honours flow control stops.
    if (!paused && this.ungranted >= batch) {
      frames.unshift(windowUpdateFrame(0, this.ungranted));
      this.connection += this.ungranted;
      this.ungranted = 0;
    }
    return frames;
  }
}
