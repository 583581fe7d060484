import { type H2Connection, MAX_SEND_FRAME_BYTES } from "./h2-connection.ts";
import { H2Error } from "./h2-error.ts";
import {
  DEFAULT_WINDOW_BYTES,
  Flag,
  FrameType,
  MAX_WINDOW_BYTES,
  MIN_MAX_FRAME_BYTES,
  encodeFrame,
  frameHeader,
} from "./h2-frame.ts";
import type { PeerSettings } from "./h2-frame-checks.ts";
import type { H2Stream } from "./h2-stream.ts";

/**
 * The sending half of an `H2Session`: opens streams (HEADERS) within the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * and sends their queued request bytes as DATA frames within its flow-control windows and SETTINGS_MAX_FRAME_SIZE
 * (at most 1 MiB), a 9-byte header and views of the queued bytes, never copied.
 */
export class H2Sender {
  /** The connection's send window. */
  private window = DEFAULT_WINDOW_BYTES;
  /** The server's SETTINGS_INITIAL_WINDOW_SIZE: a new stream's send window. */
  initialWindow = DEFAULT_WINDOW_BYTES;
  private maxFrame = MIN_MAX_FRAME_BYTES;
  private maxStreams = Number.POSITIVE_INFINITY;
  /** Streams opened and not over. */
  private opened = 0;

  constructor(private readonly connection: H2Connection) {}

  /** Opens waiting streams and sends queued request bytes, in stream order, as far as windows and the socket allow. */
  pump(streams: Iterable<H2Stream>): void {
    for (const s of streams) {
      if (!s.opened) {
        if (this.opened >= this.maxStreams) return;
        s.opened = true;
        this.opened++;
        this.connection.writeData([encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, s.id, s.headerBlock)]);
      }
      if (!this.sendData(s)) return;
    }
  }

  /** A stream that was opened is over: its slot is free. */
  released(stream: H2Stream): void {
    if (stream.opened) this.opened--;
  }

  /** A server's SETTINGS: a new SETTINGS_INITIAL_WINDOW_SIZE moves every stream's window by the difference. */
  settings(settings: PeerSettings, streams: Iterable<H2Stream>): void {
    if (settings.initialWindowBytes !== undefined) {
      const delta = settings.initialWindowBytes - this.initialWindow;
      this.initialWindow = settings.initialWindowBytes;
      for (const s of streams) {
        s.sendWindow += delta;
        if (s.sendWindow > MAX_WINDOW_BYTES) {
          throw new H2Error(
            "flow-control",
            `SETTINGS_INITIAL_WINDOW_SIZE grew a send window past ${MAX_WINDOW_BYTES} bytes`,
          );
        }
      }
    }
    if (settings.maxFrameBytes !== undefined) this.maxFrame = settings.maxFrameBytes;
    if (settings.maxConcurrentStreams !== undefined) this.maxStreams = settings.maxConcurrentStreams;
  }

  /** A WINDOW_UPDATE of `increment` bytes for the connection (`stream` undefined) or a stream. */
  windowUpdate(stream: H2Stream | undefined, increment: number): void {
    const window = stream === undefined ? (this.window += increment) : (stream.sendWindow += increment);
    if (window > MAX_WINDOW_BYTES) {
      throw new H2Error("flow-control", `WINDOW_UPDATEs grew a send window past ${MAX_WINDOW_BYTES} bytes`);
    }
  }

  /** Sends `stream`'s queued bytes as the windows allow; false when the socket is full (it reports `room()`). */
  private sendData(stream: H2Stream): boolean {
    if (stream.over || stream.endSent) return true;
    const frameLimit = Math.min(this.maxFrame, MAX_SEND_FRAME_BYTES);
    let room = true;
    while (stream.queuedBytes > 0) {
      if (!this.connection.hasRoom()) {
        room = false;
        break;
      }
      const n = Math.min(stream.queuedBytes, this.window, stream.sendWindow, frameLimit);
      if (n <= 0) break; // the server's window is used up: a WINDOW_UPDATE pumps again
      const parts = stream.take(n);
      this.window -= n;
      stream.sendWindow -= n;
      const last = stream.queuedBytes === 0 && stream.endQueued;
      this.connection.writeData([
        frameHeader(n, FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id),
        ...parts,
      ]);
      if (last) stream.endSent = true;
    }
    if (stream.queuedBytes === 0 && stream.endQueued && !stream.endSent) {
      this.connection.writeData([frameHeader(0, FrameType.DATA, Flag.END_STREAM, stream.id)]);
      stream.endSent = true;
    }
    stream.notifyDrained();
    return room;
  }
}
