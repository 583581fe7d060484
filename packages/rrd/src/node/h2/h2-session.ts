import { concatBytes } from "@iris/types";
import { H2Connection, type H2ConnectionOptions } from "./h2-connection.ts";
import { H2Error } from "./h2-error.ts";
import {
  CLIENT_PREFACE,
  ErrorCode,
  Flag,
  FrameType,
  MAX_WINDOW_BYTES,
  MIN_MAX_FRAME_BYTES,
  Setting,
  encodeFrame,
  goawayFrame,
  rstStreamFrame,
  settingsFrame,
} from "./h2-frame.ts";
import {
  expectConnection,
  expectLength,
  expectStream,
  printable,
  readPeerSettings,
  readU32,
  u32,
} from "./h2-frame-checks.ts";
import { malformedField } from "./h2-field-checks.ts";
import { H2FrameParser, type H2FrameSink } from "./h2-frame-parser.ts";
import { type HeaderBlock, HeaderBlockAssembler, MAX_HEADER_LIST_BYTES } from "./h2-header-block.ts";
import { H2ReceiveWindows } from "./h2-receive-windows.ts";
import { H2Sender } from "./h2-sender.ts";
import { H2StreamTable } from "./h2-stream-table.ts";
import { H2InPlaceReads } from "./h2-in-place-reads.ts";
import {
  type H2InPlaceBody,
  H2Stream,
  type H2StreamEnd,
  type H2StreamHandlers,
  type H2StreamHost,
} from "./h2-stream.ts";
import { encodeLiteralHeaderBlock } from "./hpack-literal.ts";

export { sessionTarget } from "./h2-connection.ts";

export interface H2SessionOptions extends H2ConnectionOptions {
  /** `:authority`, e.g. "127.0.0.1:9876". */
  authority: string;
  /** Receive window of each stream and of the connection, in bytes. */
  windowBytes: number;
}

/** Our SETTINGS_MAX_FRAME_SIZE: DATA frames are not buffered, so larger frames cost nothing. */
const MAX_FRAME_BYTES = 1 << 20;

/**
 * A client HTTP/2 connection (cleartext with prior knowledge, RFC 9113 §3.3, or TLS with ALPN "h2") carrying
 * any number of request streams (`request`). Written for gRPC at frame rate, in both directions:
 * - the socket reads into one reused buffer and response DATA reaches the handlers as views of it (no allocation
 *   per read or per frame); window is given back per read, and withheld while a stream is `pause()`d;
 * - request bodies are queued as views and written as DATA frames of up to 1 MiB (as the server allows), a
 *   9-byte header and the views, never copied, within the server's flow-control windows and with at most 4 MiB
 *   waiting in the socket.
 * Every way a server can break HTTP/2 ends the connection with a typed `H2Error`, reported to every stream.
 */
export class H2Session implements H2FrameSink, H2StreamHost {
  private readonly connection: H2Connection;
  private readonly sender: H2Sender;
  private readonly parser = new H2FrameParser(this, MAX_FRAME_BYTES);
  private readonly inPlace = new H2InPlaceReads(this.parser);
  private readonly headerBlock = new HeaderBlockAssembler();
  /** The stream of the header block being gathered (HEADERS, then CONTINUATION on the same stream). */
  private headerStreamId = 0;
  private readonly windows: H2ReceiveWindows;
  private readonly scheme: "http" | "https";
  private readonly streams = new H2StreamTable();
  /** The DATA frame being read belongs to this stream (undefined: it is discarded). */
  private dataStream: H2Stream | undefined;
  private sawSettings = false;
  private goaway: { code: number; debug: string } | undefined;
  private over = false;
  private ping_: { payload: Uint8Array; timer: ReturnType<typeof setTimeout> } | undefined;
  private pingCounter = 0;

  constructor(private readonly options: H2SessionOptions) {
    this.windows = new H2ReceiveWindows(options.windowBytes);
    this.scheme = options.tls === undefined ? "http" : "https";
    this.connection = new H2Connection(options, {
      read: (bytes) => this.onRead(bytes),
      target: () => this.readTarget(),
      readInPlace: (n) => this.onReadInPlace(n),
      room: () => this.pump(),
      refused: (error) => this.fail(error),
      error: (error) => this.endAll({ kind: "socket", error }),
      closed: () => this.endAll({ kind: "closed", ...(this.goaway && { goaway: this.goaway }) }),
    });
    this.sender = new H2Sender(this.connection);
    this.writeControl(
      CLIENT_PREFACE,
      settingsFrame([
        [Setting.ENABLE_PUSH, 0],
        [Setting.INITIAL_WINDOW_SIZE, this.windows.size],
        [Setting.MAX_FRAME_SIZE, MAX_FRAME_BYTES],
        [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES],
      ]),
      ...this.windows.initialUpdate(),
    );
  }

  /** True once no new stream can be opened (the connection closed or failed, or the server sent GOAWAY). */
  get closed(): boolean {
    return this.over || this.goaway !== undefined;
  }

  /** Opens a POST stream to `path`; write its body with `write`, then `end()` it. */
  request(
    path: string,
    headers: readonly (readonly [string, string])[],
    handlers: H2StreamHandlers,
  ): H2Stream {
    const id = this.streams.nextId;
    const block = encodeLiteralHeaderBlock([
      [":method", "POST"],
      [":scheme", this.scheme],
      [":path", path],
      [":authority", this.options.authority],
      ...headers,
    ]);
    const stream = new H2Stream(id, block, handlers, this, this.sender.initialWindow, this.windows.size);
    if (this.closed || this.streams.exhausted) {
      stream.finish();
      const goaway = this.goaway;
      queueMicrotask(() => handlers.end({ kind: "closed", ...(goaway && { goaway }) }));
      return stream;
    }
    if (block.length > MIN_MAX_FRAME_BYTES) {
      throw new RangeError(`request headers of ${block.length} bytes (at most ${MIN_MAX_FRAME_BYTES})`);
    }
    this.streams.add(stream);
    this.pump();
    return stream;
  }

  /** Sends a PING; if no acknowledgement comes within `timeoutMs`, the connection is dropped (streams end "socket"). */
  ping(timeoutMs: number): void {
    if (this.over || this.ping_ !== undefined) return;
    const payload = u32(++this.pingCounter);
    const timer = setTimeout(() => {
      this.ping_ = undefined;
      this.endAll({
        kind: "socket",
        error: new Error(`the server did not answer a PING within ${timeoutMs} ms`),
      });
      this.connection.destroy();
    }, timeoutMs);
    timer.unref();
    this.ping_ = { payload: concatBytes([new Uint8Array(4), payload]), timer };
    this.writeControl(encodeFrame(FrameType.PING, 0, 0, this.ping_.payload));
  }

  /** Whether the connection keeps Node running (`ref`) or not (`unref`). */
  ref(): void {
    this.connection.ref();
  }

  unref(): void {
    this.connection.unref();
  }

  /** Cancels every stream (RST_STREAM CANCEL) and closes the connection (GOAWAY); no handler is called after this. */
  close(): void {
    if (this.over) return;
    this.over = true;
    const frames: Uint8Array[] = [];
    for (const s of this.streams.clear()) {
      if (s.opened) frames.push(rstStreamFrame(s.id, ErrorCode.CANCEL));
      s.finish();
    }
    this.connection.end([...frames, goawayFrame(0, ErrorCode.NO_ERROR)]);
  }

  // --- H2StreamHost ---

  /** Opens waiting streams and sends queued request bytes, as far as flow control and the socket allow. */
  pump(): void {
    if (!this.over && this.connection.usable)
      this.connection.batch(() => this.sender.pump(this.streams.values()));
  }

  grant(): void {
    if (this.over) return;
    const frames = this.windows.grants(this.streams.values());
    if (frames.length > 0) this.writeControl(...frames);
  }

  reset(stream: H2Stream, code: number): void {
    if (this.streams.get(stream.id) !== stream) return;
    if (stream.opened) this.writeControl(rstStreamFrame(stream.id, code));
    this.forget(stream, "local");
    this.pump(); // a stream that waited for a free slot may open
  }

  // --- H2FrameSink ---

  frame(type: number, flags: number, streamId: number, payload: Uint8Array): void {
    if (this.over) return;
    if (!this.sawSettings && type !== FrameType.SETTINGS) {
      throw new H2Error("protocol", `the server's first frame has type ${type}, expected SETTINGS (4)`);
    }
    if (this.headerBlock.pending && (type !== FrameType.CONTINUATION || streamId !== this.headerStreamId)) {
      throw new H2Error(
        "protocol",
        `a frame of type ${type} on stream ${streamId} came between HEADERS and its CONTINUATION on stream ${this.headerStreamId}`,
      );
    }
    switch (type) {
      case FrameType.HEADERS:
      case FrameType.CONTINUATION: {
        this.streams.expectOpened(type === FrameType.HEADERS ? "HEADERS" : "CONTINUATION", streamId);
        this.headerStreamId = streamId;
        const block =
          type === FrameType.HEADERS
            ? this.headerBlock.headers(flags, payload)
            : this.headerBlock.continuation(flags, payload);
        // Decoded whatever its stream, to keep the decoder's table in step with the server's.
        if (block !== undefined) this.onHeaderBlock(streamId, block);
        return;
      }
      case FrameType.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FrameType.PING:
        expectConnection("PING", streamId);
        expectLength("PING", payload, 8);
        if (!(flags & Flag.ACK)) this.writeControl(encodeFrame(FrameType.PING, Flag.ACK, 0, payload));
        else if (this.ping_ !== undefined && readU32(payload, 4) === readU32(this.ping_.payload, 4)) {
          clearTimeout(this.ping_.timer);
          this.ping_ = undefined;
        }
        return;
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      case FrameType.RST_STREAM: {
        expectStream("RST_STREAM", streamId);
        expectLength("RST_STREAM", payload, 4);
        this.streams.expectOpened("RST_STREAM", streamId);
        const stream = this.streams.get(streamId);
        if (stream === undefined) return;
        this.forget(stream, "local");
        stream.handlers.end({ kind: "reset", code: readU32(payload, 0) });
        this.pump();
        return;
      }
      case FrameType.GOAWAY:
        return this.onGoaway(streamId, payload);
      case FrameType.PRIORITY:
        expectStream("PRIORITY", streamId);
        expectLength("PRIORITY", payload, 5);
        return;
      case FrameType.PUSH_PROMISE:
        throw new H2Error("protocol", "the server sent PUSH_PROMISE although we disabled push");
    }
  }

  dataStart(streamId: number, _flags: number, frameBytes: number): void {
    if (this.over) return;
    if (!this.sawSettings) {
      throw new H2Error("protocol", "the server's first frame has type 0 (DATA), expected SETTINGS (4)");
    }
    if (this.headerBlock.pending)
      throw new H2Error("protocol", "a DATA frame came between HEADERS and CONTINUATION");
    this.streams.expectOpened("DATA", streamId);
    const stream = this.streams.get(streamId);
    this.dataStream = stream;
    if (stream === undefined) this.streams.expectNotEndedByServer("DATA", streamId);
    if (stream !== undefined && !stream.sawResponse) {
      throw new H2Error("protocol", `DATA before the response headers on stream ${streamId}`);
    }
    // A stream we reset: its bytes are dropped, their window given back to the connection.
    this.windows.received(streamId, stream, frameBytes);
  }

  data(bytes: Uint8Array): void {
    const stream = this.dataStream;
    if (!this.over && stream !== undefined && !stream.over) stream.handlers.data(bytes);
  }

  dataEnd(flags: number): void {
    const stream = this.dataStream;
    this.dataStream = undefined;
    if (!this.over && stream !== undefined && !stream.over && flags & Flag.END_STREAM)
      this.remoteEnded(stream);
  }

  // --- frames ---

  /** Where the socket reads next: in place, or the read buffer (undefined); see `H2InPlaceReads`. */
  private readTarget(): Uint8Array | undefined {
    return this.over ? undefined : this.inPlace.target(this.inPlaceConsumer());
  }

  private onReadInPlace(n: number): boolean {
    return this.onRead(undefined, () =>
      this.inPlace.read(n, this.inPlaceConsumer(), (bytes) => this.parser.push(bytes)),
    );
  }

  /** The in-place consumer of the DATA frame being read, if its stream has one. */
  private inPlaceConsumer(): H2InPlaceBody | undefined {
    const stream = this.dataStream;
    return stream === undefined || stream.over ? undefined : stream.handlers.inPlace;
  }

  private onRead(bytes: Uint8Array | undefined, inPlace?: () => void): boolean {
    if (this.over) return false;
    try {
      if (bytes !== undefined) this.parser.push(bytes);
      else inPlace?.();
      this.grant();
    } catch (error) {
      if (!(error instanceof H2Error)) throw error;
      const violation = this.sawSettings
        ? error
        : new H2Error(
            "protocol",
            `the server did not begin with an HTTP/2 SETTINGS frame (not an HTTP/2 server?): ${error.message}`,
          );
      this.fail(violation);
    }
    return !this.over;
  }

  /** A complete response header block: the response headers (after any 1xx), then the trailers. */
  private onHeaderBlock(streamId: number, block: HeaderBlock): void {
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      this.streams.expectNotEndedByServer("HEADERS", streamId);
      return;
    }
    // A malformed response is an error of its stream (RFC 9113 §8.1.1): reset, the connection goes on.
    const malformed = malformedField(block.fields, stream.sawResponse);
    if (malformed !== undefined) {
      this.reset(stream, ErrorCode.PROTOCOL_ERROR);
      const error = new H2Error("protocol", `a malformed response on stream ${streamId}: ${malformed}`);
      stream.handlers.end({ kind: "violation", error });
      return;
    }
    const status = block.fields.find(([name]) => name === ":status")?.[1];
    if (!stream.sawResponse && status !== undefined && /^1\d\d$/.test(status) && !block.endStream) return;
    if (stream.sawResponse && !block.endStream) {
      throw new H2Error(
        "protocol",
        "a second header block without END_STREAM (trailers must end the stream)",
      );
    }
    stream.sawResponse = true;
    stream.handlers.headers(block.fields, block.endStream);
    if (block.endStream && !stream.over && !this.over) this.remoteEnded(stream);
  }

  private onSettings(flags: number, streamId: number, payload: Uint8Array): void {
    const settings = readPeerSettings(flags, streamId, payload);
    if (settings === "ack") return;
    this.sender.settings(settings, this.streams.values());
    this.sawSettings = true;
    this.writeControl(settingsFrame([], true));
    this.pump();
  }

  private onWindowUpdate(streamId: number, payload: Uint8Array): void {
    expectLength("WINDOW_UPDATE", payload, 4);
    const increment = readU32(payload, 0) & MAX_WINDOW_BYTES;
    if (increment === 0)
      throw new H2Error("protocol", `a WINDOW_UPDATE on stream ${streamId} grants 0 bytes`);
    if (streamId === 0) this.sender.windowUpdate(undefined, increment);
    else {
      const stream = this.streams.get(streamId);
      if (stream === undefined) return;
      this.sender.windowUpdate(stream, increment);
    }
    this.pump();
  }

  private onGoaway(streamId: number, payload: Uint8Array): void {
    expectConnection("GOAWAY", streamId);
    if (payload.length < 8) {
      throw new H2Error("frame-size", `a GOAWAY frame has ${payload.length} bytes, expected at least 8`);
    }
    const lastStreamId = readU32(payload, 0) & MAX_WINDOW_BYTES;
    const goaway = { code: readU32(payload, 4), debug: printable(payload.subarray(8, 8 + 200)) };
    this.goaway = goaway;
    // Streams above the last one the server processed never will be: they end now (safe to retry).
    for (const s of [...this.streams.values()]) {
      if (s.id <= lastStreamId) continue;
      this.forget(s, "local");
      s.handlers.end({ kind: "closed", goaway });
    }
    if (this.streams.size === 0) this.finishSocket();
  }

  /** Sends control frames at once; a server that leaves too much of them unread is given up on. */
  private writeControl(...frames: Uint8Array[]): void {
    if (this.over) return;
    const error = this.connection.writeControl(frames);
    if (error !== undefined) this.fail(error);
  }

  // --- ending ---

  /** The server ended `stream`'s response: it is over (cancelled if its request was not sent in full). */
  private remoteEnded(stream: H2Stream): void {
    const cancel = !stream.endSent;
    this.forget(stream, "remote");
    if (cancel) this.writeControl(rstStreamFrame(stream.id, ErrorCode.CANCEL));
    stream.handlers.end({ kind: "ended" });
    this.pump();
    if (this.goaway !== undefined && this.streams.size === 0) this.finishSocket();
  }

  private forget(stream: H2Stream, how: "remote" | "local"): void {
    this.streams.forget(stream, how);
    this.sender.released(stream);
    stream.finish();
  }

  /** The server broke HTTP/2: GOAWAY with its error, and every stream ends with it. */
  private fail(error: H2Error): void {
    if (this.over) return;
    this.connection.end([goawayFrame(0, error.code, error.message.slice(0, 200))]);
    this.endAll({ kind: "violation", error });
  }

  /** The connection is over: every live stream ends `how` (once). */
  private endAll(how: H2StreamEnd): void {
    if (this.over) return;
    this.over = true;
    if (this.ping_ !== undefined) clearTimeout(this.ping_.timer);
    const streams = this.streams.clear();
    for (const s of streams) s.finish();
    for (const s of streams) s.handlers.end(how);
    this.connection.end([]);
  }

  /** After a GOAWAY, once the last stream the server kept is over: close the connection. */
  private finishSocket(): void {
    if (this.over) return;
    this.over = true;
    if (this.ping_ !== undefined) clearTimeout(this.ping_.timer);
    this.connection.end([goawayFrame(0, ErrorCode.NO_ERROR)]);
  }
}
