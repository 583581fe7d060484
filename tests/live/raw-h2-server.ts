// Just enough of an HTTP/2 server (RFC 9113), on a raw `node:net` socket, for tests that need to choose every byte
// a client receives: the client's frames are parsed and kept, its SETTINGS acknowledged, its flow-control windows
// tracked; everything the server sends is written by the test, frame by frame. Headers are encoded with HPACK
// literals without indexing and plain (not Huffman) strings, which every decoder must accept.
import { type Server, type Socket, createServer } from "node:net";

export const FrameType = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

export const Setting = {
  HEADER_TABLE_SIZE: 1,
  ENABLE_PUSH: 2,
  MAX_CONCURRENT_STREAMS: 3,
  INITIAL_WINDOW_SIZE: 4,
  MAX_FRAME_SIZE: 5,
  MAX_HEADER_LIST_SIZE: 6,
} as const;

const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const DEFAULT_WINDOW = 65_535;

export interface H2Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Uint8Array;
}

/** One frame's bytes: the 9-byte header (length, type, flags, stream id) and `payload`. */
export function frameBytes(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
) {
  const out = new Uint8Array(9 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length << 8); // 24-bit length, then the type byte (overwritten next)
  out[3] = type;
  out[4] = flags;
  view.setUint32(5, streamId & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

/** A SETTINGS payload: each (identifier, value) as 6 bytes. */
export function settingsPayload(settings: readonly (readonly [number, number])[]): Uint8Array {
  const out = new Uint8Array(6 * settings.length);
  const view = new DataView(out.buffer);
  settings.forEach(([id, value], i) => {
    view.setUint16(6 * i, id);
    view.setUint32(6 * i + 2, value);
  });
  return out;
}

/** `value` as an HPACK integer with an N-bit prefix (RFC 7541 §5.1), `high` the bits above the prefix. */
export function hpackInteger(value: number, prefixBits: number, high = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [high | value];
  const out = [high | max];
  for (value -= max; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) | 128);
  out.push(value);
  return out;
}

/** A header block of "literal header field without indexing — new name" entries, strings not Huffman-coded. */
export function hpackBlock(headers: readonly (readonly [string, string])[]): Uint8Array {
  const out: number[] = [];
  const text = (s: string): void => {
    const bytes = new TextEncoder().encode(s);
    out.push(...hpackInteger(bytes.length, 7), ...bytes);
  };
  for (const [name, value] of headers) {
    out.push(0x00);
    text(name);
    text(value);
  }
  return Uint8Array.from(out);
}

/** `payload` with PADDED framing: a pad-length byte, the payload, `padding` zero bytes. */
export function padded(payload: Uint8Array, padding: number): Uint8Array {
  const out = new Uint8Array(1 + payload.length + padding);
  out[0] = padding;
  out.set(payload, 1);
  return out;
}

/** The server side of one client connection. */
export class RawH2Connection {
  /** Every frame the client sent, in order (its preface excluded). */
  readonly frames: H2Frame[] = [];
  /**
   * Every frame the server sent with `send`, in order, each with `received`: how many of the client's frames had
   * arrived when it was sent (so a test can tell what the client could have seen before sending a frame).
   */
  readonly sent: (H2Frame & { readonly received: number })[] = [];
  /** Called with the client's frames of each read, once they are parsed and tracked (SETTINGS acknowledged). */
  onFrames: ((frames: readonly H2Frame[]) => void) | undefined;
  /** The client's settings, as last sent. */
  readonly clientSettings = new Map<number, number>();
  /** How many DATA payload bytes (padding included) the server may still send: the connection's window… */
  connectionWindow = DEFAULT_WINDOW;
  /** …and each stream's (its initial value from the client's SETTINGS_INITIAL_WINDOW_SIZE). */
  readonly streamWindows = new Map<number, number>();
  /** Bytes handed to the socket. */
  bytesWritten = 0;
  closed = false;
  /** Resolves when the socket has closed (either side). */
  readonly whenClosed: Promise<void>;
  private pending = new Uint8Array(0);
  private prefaceSeen = false;
  private waiters: (() => void)[] = [];

  /**
   * `socket` is a client's connection; `acknowledge` false leaves its SETTINGS unacknowledged (for a server that
   * sends nothing at all).
   */
  constructor(
    readonly socket: Socket,
    private readonly acknowledge = true,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => this.receive(chunk));
    socket.on("error", () => undefined); // the client may reset the connection; `closed` says so
    this.whenClosed = new Promise((resolve) =>
      socket.on("close", () => {
        this.closed = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** Writes one frame (no checks: the test decides what is legal). */
  send(type: number, flags: number, streamId: number, payload?: Uint8Array): boolean {
    const bytes = frameBytes(type, flags, streamId, payload);
    if (!this.closed && !this.socket.destroyed) {
      this.sent.push({ type, flags, streamId, payload: bytes.subarray(9), received: this.frames.length });
    }
    return this.write(bytes);
  }

  /** Writes raw bytes; false when the socket's buffer is full (see `drained`). */
  write(bytes: Uint8Array): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.bytesWritten += bytes.length;
    return this.socket.write(bytes);
  }

  /** Resolves when the socket can take more (or is closed). */
  async drained(): Promise<void> {
    if (this.closed || !this.socket.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        resolve();
      };
      this.socket.on("drain", done).on("close", done);
    });
  }

  /** A HEADERS frame carrying `headers` (END_HEADERS set; `flags` adds e.g. END_STREAM). */
  sendHeaders(streamId: number, headers: readonly (readonly [string, string])[], flags = 0): boolean {
    return this.send(FrameType.HEADERS, Flag.END_HEADERS | flags, streamId, hpackBlock(headers));
  }

  /** The first frame from the client (already received or still to come) that `match` accepts. */
  async waitFor(match: (frame: H2Frame) => boolean, what: string, timeoutMs = 10_000): Promise<H2Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`raw HTTP/2 server: the client closed the connection before ${what}`);
      if (Date.now() > deadline) throw new Error(`raw HTTP/2 server: no ${what} after ${timeoutMs} ms`);
      await this.changed(deadline - Date.now());
    }
  }

  /** The stream id of the client's request (its HEADERS frame). */
  async request(): Promise<number> {
    return (await this.waitFor((f) => f.type === FrameType.HEADERS, "request HEADERS")).streamId;
  }

  /** The flow-control window `streamId` may use now: the smaller of its own and the connection's. */
  window(streamId: number): number {
    return Math.min(this.connectionWindow, this.streamWindows.get(streamId) ?? this.initialWindow());
  }

  /**
   * Sends `body` on `streamId` as DATA frames of at most `frameBytes` (and the client's max frame size), each only
   * when both windows allow it and the socket is not full; resolves when all is sent or the connection closed.
   * `onFrame` sees the running total of body bytes handed to the socket.
   */
  async sendFlowControlled(
    streamId: number,
    body: Uint8Array,
    options: { frameBytes?: number; onFrame?: (sentBytes: number) => void } = {},
  ): Promise<void> {
    const maxFrame = Math.min(
      options.frameBytes ?? 16_384,
      this.clientSettings.get(Setting.MAX_FRAME_SIZE) ?? 16_384,
    );
    let at = 0;
    while (at < body.length && !this.closed) {
      const size = Math.min(maxFrame, body.length - at, this.window(streamId));
      if (size <= 0) {
        await this.changed();
        continue;
      }
      this.consumeWindow(streamId, size);
      const full = !this.send(FrameType.DATA, 0, streamId, body.subarray(at, at + size));
      at += size;
      options.onFrame?.(at);
      if (full) await this.drained();
    }
  }

  /** Counts `bytes` of DATA (padding included) against both windows. */
  consumeWindow(streamId: number, bytes: number): void {
    this.connectionWindow -= bytes;
    this.streamWindows.set(streamId, (this.streamWindows.get(streamId) ?? this.initialWindow()) - bytes);
  }

  /** Ends the connection: `destroy` resets it, otherwise the server's side is closed after what was written. */
  close(how: "end" | "destroy" = "end"): void {
    if (how === "destroy") this.socket.destroy();
    else this.socket.end();
  }

  private initialWindow(): number {
    return this.clientSettings.get(Setting.INITIAL_WINDOW_SIZE) ?? DEFAULT_WINDOW;
  }

  private changed(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, timeoutMs));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private receive(chunk: Uint8Array): void {
    const all = new Uint8Array(this.pending.length + chunk.length);
    all.set(this.pending);
    all.set(chunk, this.pending.length);
    let at = 0;
    const first = this.frames.length;
    if (!this.prefaceSeen) {
      if (all.length < PREFACE.length) {
        this.pending = all;
        return;
      }
      if (!PREFACE.every((b, i) => all[i] === b)) {
        this.socket.destroy(); // not an HTTP/2 client: `frames` stays empty
        return;
      }
      this.prefaceSeen = true;
      at = PREFACE.length;
    }
    while (all.length - at >= 9) {
      const view = new DataView(all.buffer, all.byteOffset + at);
      const length = view.getUint32(0) >>> 8;
      if (all.length - at < 9 + length) break;
      const frame: H2Frame = {
        type: all[at + 3]!,
        flags: all[at + 4]!,
        streamId: view.getUint32(5) & 0x7fffffff,
        payload: all.slice(at + 9, at + 9 + length),
      };
      at += 9 + length;
      this.frames.push(frame);
      this.track(frame);
    }
    this.pending = all.slice(at);
    if (this.frames.length > first) this.onFrames?.(this.frames.slice(first));
    this.wake();
  }

  /** Keeps the client's settings and windows current, and acknowledges its SETTINGS. */
  private track(frame: H2Frame): void {
    const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.length);
    if (frame.type === FrameType.SETTINGS && (frame.flags & Flag.ACK) === 0) {
      for (let i = 0; i + 6 <= frame.payload.length; i += 6) {
        const id = view.getUint16(i);
        const value = view.getUint32(i + 2);
        if (id === Setting.INITIAL_WINDOW_SIZE) {
          const delta = value - this.initialWindow();
          for (const [stream, window] of this.streamWindows) this.streamWindows.set(stream, window + delta);
        }
        this.clientSettings.set(id, value);
      }
      if (this.acknowledge) this.send(FrameType.SETTINGS, Flag.ACK, 0);
    } else if (frame.type === FrameType.WINDOW_UPDATE) {
      const increment = view.getUint32(0) & 0x7fffffff;
      if (frame.streamId === 0) this.connectionWindow += increment;
      else {
        const window = this.streamWindows.get(frame.streamId) ?? this.initialWindow();
        this.streamWindows.set(frame.streamId, window + increment);
      }
    }
  }
}

export interface RawH2Server {
  /** The proxy URL of the server (`rerun+http://127.0.0.1:port/proxy`). */
  readonly url: string;
  readonly connections: RawH2Connection[];
  /** Errors thrown by the handler (e.g. a wait that timed out), for the test to check. */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1; for each connection sends a SETTINGS frame with `settings` and runs `handle`. With
 * `settings` null, the server sends nothing of its own accord (no SETTINGS, no acknowledgements).
 */
export async function startRawH2Server(
  handle: (connection: RawH2Connection) => Promise<void> | void,
  settings: readonly (readonly [number, number])[] | null = [],
): Promise<RawH2Server> {
  const connections: RawH2Connection[] = [];
  const errors: unknown[] = [];
  const server: Server = createServer((socket) => {
    const connection = new RawH2Connection(socket, settings !== null);
    connections.push(connection);
    if (settings !== null) connection.send(FrameType.SETTINGS, 0, 0, settingsPayload(settings));
    Promise.resolve()
      .then(() => handle(connection))
      .catch((error: unknown) => errors.push(error));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `rerun+http://127.0.0.1:${port}/proxy`,
    connections,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
