// What an HTTP/2 client sent, checked against what the raw server (raw-h2-server.ts) had allowed it.
import { Flag, FrameType, type H2Frame, type RawH2Connection, Setting } from "./raw-h2-server.ts";

const DEFAULT_WINDOW = 65_535;
const DEFAULT_MAX_FRAME = 16_384;

function u32(payload: Uint8Array, at: number): number {
  return new DataView(payload.buffer, payload.byteOffset, payload.length).getUint32(at);
}

function readSettings(payload: Uint8Array): Map<number, number> {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const out = new Map<number, number>();
  for (let i = 0; i + 6 <= payload.length; i += 6) out.set(view.getUint16(i), view.getUint32(i + 2));
  return out;
}

interface AuditStream {
  window: number;
  clientEnded: boolean;
  serverEnded: boolean;
}

/**
 * The server's view of what the client may send, replayed in the order the server saw things: a client frame is
 * checked against the grants the server had sent before that frame arrived, and a SETTINGS change of the server
 * takes effect at the client's acknowledgement of it (what the client sent before its ACK was sent under the old
 * values). Records every DATA frame that went beyond a flow-control window or SETTINGS_MAX_FRAME_SIZE, and every
 * request stream opened beyond SETTINGS_MAX_CONCURRENT_STREAMS (a stream is open from its HEADERS until both sides
 * ended it or one reset it).
 */
export class FlowAudit {
  readonly violations: string[] = [];
  /** The connection's window and each stream's (streams the client opened), as the server sees them now. */
  connectionWindow = DEFAULT_WINDOW;
  readonly streams = new Map<number, AuditStream>();
  /** Times a DATA frame used a window up exactly (the client was held by flow control). */
  exhausted = 0;
  /** The most request streams open at once. */
  maxOpen = 0;
  private initialWindow = DEFAULT_WINDOW;
  private maxFrame = DEFAULT_MAX_FRAME;
  private maxStreams = Number.POSITIVE_INFINITY;
  /** The server's SETTINGS the client has not acknowledged yet, oldest first. */
  private readonly unacknowledged: Map<number, number>[] = [];
  private frameAt = 0;
  private sentAt = 0;

  /** `c`: a raw server connection, or anything that records both sides' frames the same way (the fuzzer's). */
  constructor(private readonly c: Pick<RawH2Connection, "frames" | "sent">) {}

  /** Replays what happened on the connection since the last call. */
  catchUp(): this {
    const { frames, sent } = this.c;
    for (;;) {
      const s = sent[this.sentAt];
      if (s !== undefined && s.received <= this.frameAt) {
        this.onSent(s);
        this.sentAt++;
      } else if (this.frameAt < frames.length) {
        this.onReceived(frames[this.frameAt]!, this.frameAt);
        this.frameAt++;
      } else return this;
    }
  }

  /** The window the client has for `streamId` now (the smaller of the stream's and the connection's). */
  window(streamId: number): number {
    return Math.min(this.connectionWindow, this.streams.get(streamId)?.window ?? this.initialWindow);
  }

  get open(): number {
    return this.streams.size;
  }

  private onSent(f: H2Frame): void {
    const s = this.streams.get(f.streamId);
    switch (f.type) {
      case FrameType.SETTINGS:
        if ((f.flags & Flag.ACK) === 0) this.unacknowledged.push(readSettings(f.payload));
        return;
      case FrameType.WINDOW_UPDATE: {
        const increment = u32(f.payload, 0) & 0x7fffffff;
        if (f.streamId === 0) this.connectionWindow += increment;
        else if (s !== undefined) s.window += increment;
        return;
      }
      case FrameType.HEADERS:
      case FrameType.DATA:
        if (s !== undefined && f.flags & Flag.END_STREAM) {
          s.serverEnded = true;
          if (s.clientEnded) this.streams.delete(f.streamId);
        }
        return;
      case FrameType.RST_STREAM:
        this.streams.delete(f.streamId);
        return;
    }
  }

  private onReceived(f: H2Frame, index: number): void {
    const where = `client frame #${index} (stream ${f.streamId})`;
    switch (f.type) {
      case FrameType.SETTINGS: {
        if ((f.flags & Flag.ACK) === 0) return;
        const settings = this.unacknowledged.shift();
        if (settings === undefined) return;
        const initial = settings.get(Setting.INITIAL_WINDOW_SIZE);
        if (initial !== undefined) {
          for (const s of this.streams.values()) s.window += initial - this.initialWindow;
          this.initialWindow = initial;
        }
        this.maxFrame = settings.get(Setting.MAX_FRAME_SIZE) ?? this.maxFrame;
        this.maxStreams = settings.get(Setting.MAX_CONCURRENT_STREAMS) ?? this.maxStreams;
        return;
      }
      case FrameType.HEADERS: {
        if (this.streams.has(f.streamId)) return; // trailers
        if (this.streams.size >= this.maxStreams) {
          this.violations.push(
            `${where}: HEADERS opened a stream while ${this.streams.size} were open (SETTINGS_MAX_CONCURRENT_STREAMS ${this.maxStreams})`,
          );
        }
        const ended = (f.flags & Flag.END_STREAM) !== 0;
        this.streams.set(f.streamId, { window: this.initialWindow, clientEnded: ended, serverEnded: false });
        this.maxOpen = Math.max(this.maxOpen, this.streams.size);
        return;
      }
      case FrameType.DATA: {
        const n = f.payload.length;
        if (n > this.maxFrame) {
          this.violations.push(`${where}: DATA of ${n} bytes, over SETTINGS_MAX_FRAME_SIZE ${this.maxFrame}`);
        }
        const s = this.streams.get(f.streamId);
        if (n > 0 && s !== undefined && n > s.window) {
          this.violations.push(`${where}: DATA of ${n} bytes with a stream window of ${s.window}`);
        }
        if (n > 0 && n > this.connectionWindow) {
          this.violations.push(
            `${where}: DATA of ${n} bytes with a connection window of ${this.connectionWindow}`,
          );
        }
        this.connectionWindow -= n;
        if (n > 0 && this.connectionWindow === 0) this.exhausted++;
        if (s === undefined) return;
        s.window -= n;
        if (n > 0 && s.window === 0) this.exhausted++;
        if (f.flags & Flag.END_STREAM) {
          s.clientEnded = true;
          if (s.serverEnded) this.streams.delete(f.streamId);
        }
        return;
      }
      case FrameType.RST_STREAM:
        this.streams.delete(f.streamId);
        return;
    }
  }
}
