import type * as net from "node:net";
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW_BYTES,
  ErrorCode,
  Flag,
  FrameType,
  H2Error,
  type H2FrameSink,
  H2FrameParser,
  type H2InPlaceBody,
  H2InPlaceReads,
  HeaderBlockAssembler,
  MAX_WINDOW_BYTES,
  Setting,
  encodeFrame,
  expectConnection,
  expectLength,
  expectStream,
  goawayFrame,
  malformedRequestField,
  readPeerSettings,
  readU32,
  rstStreamFrame,
  settingsFrame,
  windowUpdateFrame,
} from "@iris/rrd/node";
import { H2cFloodGuard } from "./h2c-flood-guard.ts";
import { H2cStream, type H2cStreamHost } from "./h2c-stream.ts";

export interface H2cConnectionOptions {
  /** Our stream and connection windows (SETTINGS_INITIAL_WINDOW_SIZE and a connection WINDOW_UPDATE). */
  windowBytes: number;
  /** Our SETTINGS_MAX_FRAME_SIZE. */
  maxFrameBytes: number;
  /** Our SETTINGS_MAX_CONCURRENT_STREAMS: more open streams are refused (REFUSED_STREAM). */
  maxConcurrentStreams: number;
  /** Our SETTINGS_MAX_HEADER_LIST_SIZE: a larger request header list is answered 431. */
  maxHeaderBytes: number;
  /** A connection with no open stream is closed after this long (GOAWAY NO_ERROR). */
  idleTimeoutMs: number;
  /** A new request: answer it on `stream` (set its handlers during the call). */
  onRequest(stream: H2cStream, fields: readonly (readonly [string, string])[]): void;
}

/** Largest DATA frame we send, whatever the peer allows: one 1080p frame in 6 frames, as Rust's h2 sends them. */
const MAX_SEND_FRAME_BYTES = 1 << 20;
/** Socket write queue above which no more DATA is written until it drains. */
const SOCKET_HIGH_BYTES = 4 * 1024 * 1024;
/**
 * Socket write queue at which the peer counts as not reading what it asks for (answers to PING and SETTINGS,
 * resets): the connection is closed with ENHANCE_YOUR_CALM. DATA alone never fills it (`SOCKET_HIGH_BYTES`).
 */
const SOCKET_FLOOD_BYTES = 16 * 1024 * 1024;

/**
 * The server side of one cleartext HTTP/2 connection (RFC 9113), written for the proxy's gRPC streams: the bytes
 * the socket reads (into one reused buffer, see `adoptSocketReads`) are parsed without copying DATA, and DATA is
 * sent as views of the caller's bytes. What it enforces: the preface and the first SETTINGS, frame sizes and the
 * stream each frame type belongs on, stream ids, our windows (a peer sending beyond them is a flow-control error),
 * the header list limit, concurrent streams, and floods of frames that cost us work or answers (PING, SETTINGS,
 * unknown frames, resets); a violation ends the connection with GOAWAY and the matching error code.
 */
export class H2cConnection implements H2FrameSink, H2cStreamHost {
  private readonly parser: H2FrameParser;
  private readonly headerBlock: HeaderBlockAssembler;
  private readonly streams = new Map<number, H2cStream>();
  /** Stream whose header block awaits CONTINUATION. */
  private continuationStream = 0;
  private prefaceLeft = CLIENT_PREFACE.length;
  private settingsSeen = false;
  private lastStreamId = 0;
  private peerInitialWindow = DEFAULT_WINDOW_BYTES;
  private peerMaxFrame = 16_384;
  private sendWindow = DEFAULT_WINDOW_BYTES;
  private receiveWindow: number;
  private ungranted = 0;
  /** The DATA frame being received: its stream (undefined: discarded) and length. */
  private dataStream: H2cStream | undefined;
  private dataBytes = 0;
  private goingAway = false;
  private ended = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly flood = new H2cFloodGuard();
  private pumping = false;
  private readonly inPlace: H2InPlaceReads;

  constructor(
    private readonly socket: net.Socket,
    private readonly options: H2cConnectionOptions,
  ) {
    this.parser = new H2FrameParser(this, options.maxFrameBytes);
    this.inPlace = new H2InPlaceReads(this.parser);
    // Decoded up to 64 KiB beyond the limit, so that a list over it is answered 431 rather than ending the
    // connection (the HPACK table must stay in step); a larger one is a COMPRESSION_ERROR.
    this.headerBlock = new HeaderBlockAssembler("client", options.maxHeaderBytes + 64 * 1024);
    this.receiveWindow = options.windowBytes;
    socket.on("drain", () => this.pump());
    socket.on("close", () => this.closeAll());
    socket.on("error", () => socket.destroy());
    this.socket.cork();
    this.socket.write(
      settingsFrame([
        [Setting.MAX_CONCURRENT_STREAMS, options.maxConcurrentStreams],
        [Setting.INITIAL_WINDOW_SIZE, options.windowBytes],
        [Setting.MAX_FRAME_SIZE, options.maxFrameBytes],
        [Setting.MAX_HEADER_LIST_SIZE, options.maxHeaderBytes],
        [Setting.ENABLE_PUSH, 0],
      ]),
    );
    if (options.windowBytes > DEFAULT_WINDOW_BYTES) {
      this.socket.write(windowUpdateFrame(0, options.windowBytes - DEFAULT_WINDOW_BYTES));
    }
    this.socket.uncork();
    this.armIdleTimer();
  }

  /** Bytes read from the socket, from the connection preface on (views valid during the call). */
  receive(bytes: Uint8Array): void {
    if (this.ended) return;
    try {
      if (this.prefaceLeft > 0) {
        const n = Math.min(this.prefaceLeft, bytes.length);
        const at = CLIENT_PREFACE.length - this.prefaceLeft;
        for (let i = 0; i < n; i++) {
          if (bytes[i] !== CLIENT_PREFACE[at + i])
            throw new H2Error("protocol", "not the HTTP/2 connection preface");
        }
        this.prefaceLeft -= n;
        bytes = bytes.subarray(n);
        if (bytes.length === 0) return;
      }
      this.socket.cork();
      try {
        this.parser.push(bytes);
      } finally {
        this.socket.uncork();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** A violation ends the connection with its GOAWAY code; any other error is a fault here, not the peer's. */
  private fail(error: unknown): void {
    if (error instanceof H2Error) this.goAway(error.code, error.message);
    else this.goAway(ErrorCode.INTERNAL_ERROR, "internal error");
  }

  /** Where the socket reads next: in place, or the read buffer (undefined); see `H2InPlaceReads`. */
  readTarget(): Uint8Array | undefined {
    return this.ended ? undefined : this.inPlace.target(this.inPlaceConsumer());
  }

  /** `n` bytes were read into the last `readTarget()`. */
  receiveInPlace(n: number): void {
    if (this.ended) return;
    this.socket.cork();
    try {
      this.inPlace.read(n, this.inPlaceConsumer(), (bytes) => this.parser.push(bytes));
    } catch (error) {
      this.fail(error);
    } finally {
      this.socket.uncork();
    }
  }

  /** The in-place consumer of the DATA frame being read, if its stream has one. */
  private inPlaceConsumer(): H2InPlaceBody | undefined {
    const stream = this.dataStream;
    return stream === undefined || stream.closed ? undefined : stream.inPlace;
  }

  /** Ends the connection now (the server is closing). */
  destroy(): void {
    this.socket.destroy();
  }

  // H2FrameSink

  frame(type: number, flags: number, streamId: number, payload: Uint8Array): void {
    if (!this.settingsSeen && type !== FrameType.SETTINGS) {
      throw new H2Error("protocol", `the client's first frame is of type ${type}, expected SETTINGS`);
    }
    if (this.continuationStream !== 0 && type !== FrameType.CONTINUATION) {
      throw new H2Error("protocol", `a frame of type ${type} inside a header block (CONTINUATION expected)`);
    }
    switch (type) {
      case FrameType.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FrameType.PING:
        expectConnection("PING", streamId);
        expectLength("PING", payload, 8);
        this.flood.idle();
        if (!(flags & Flag.ACK)) this.writeFrame(encodeFrame(FrameType.PING, Flag.ACK, 0, payload.slice()));
        return;
      case FrameType.HEADERS:
        return this.onHeaders(flags, streamId, payload);
      case FrameType.CONTINUATION:
        if (streamId !== this.continuationStream) {
          throw new H2Error(
            "protocol",
            `CONTINUATION on stream ${streamId}, expected ${this.continuationStream}`,
          );
        }
        return this.onHeaderBlock(streamId, this.headerBlock.continuation(flags, payload));
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      case FrameType.RST_STREAM: {
        expectStream("RST_STREAM", streamId);
        expectLength("RST_STREAM", payload, 4);
        if (streamId > this.lastStreamId)
          throw new H2Error("protocol", `RST_STREAM on idle stream ${streamId}`);
        this.flood.reset();
        this.streams.get(streamId)?.close();
        return;
      }
      case FrameType.PRIORITY:
        expectStream("PRIORITY", streamId);
        expectLength("PRIORITY", payload, 5);
        this.flood.idle();
        return;
      case FrameType.GOAWAY:
        expectConnection("GOAWAY", streamId);
        this.goingAway = true;
        if (this.streams.size === 0) this.goAway(ErrorCode.NO_ERROR, "");
        return;
      case FrameType.PUSH_PROMISE:
        throw new H2Error("protocol", "a client sent PUSH_PROMISE");
    }
  }

  skipped(): void {
    this.flood.idle();
  }

  dataStart(streamId: number, flags: number, frameBytes: number): void {
    if (this.continuationStream !== 0) throw new H2Error("protocol", "DATA inside a header block");
    expectStream("DATA", streamId);
    this.receiveWindow -= frameBytes;
    if (this.receiveWindow < 0) {
      throw new H2Error(
        "flow-control",
        `DATA beyond the connection window (${-this.receiveWindow} bytes over)`,
      );
    }
    this.dataBytes = frameBytes;
    if (frameBytes === 0 && !(flags & Flag.END_STREAM)) this.flood.idle();
    const stream = this.streams.get(streamId);
    this.dataStream = undefined;
    if (stream === undefined || stream.remoteEnded) {
      if (streamId > this.lastStreamId) throw new H2Error("protocol", `DATA on idle stream ${streamId}`);
      // A stream closed here (answered, or reset): its data is dropped, and the peer told to stop (§5.1).
      if (stream === undefined) this.writeFrame(rstStreamFrame(streamId, ErrorCode.STREAM_CLOSED));
      else stream.reset(ErrorCode.STREAM_CLOSED);
      this.flood.idle();
      return;
    }
    stream.receiveWindow -= frameBytes;
    if (stream.receiveWindow < 0) {
      stream.reset(ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    this.dataStream = stream;
  }

  data(bytes: Uint8Array): void {
    const stream = this.dataStream;
    if (stream !== undefined && !stream.closed) stream.onData(bytes);
  }

  dataEnd(flags: number): void {
    const stream = this.dataStream;
    this.dataStream = undefined;
    // Every DATA byte is consumed as it arrives (copied into the message it belongs to, or dropped), so the
    // windows are given back at once, in updates of at least half a window.
    this.ungranted += this.dataBytes;
    if (this.ungranted >= this.options.windowBytes / 2) {
      this.writeFrame(windowUpdateFrame(0, this.ungranted));
      this.receiveWindow += this.ungranted;
      this.ungranted = 0;
    }
    if (stream === undefined || stream.closed) return;
    if (flags & Flag.END_STREAM) {
      stream.endRemote();
      return;
    }
    stream.ungranted += this.dataBytes;
    if (stream.ungranted >= this.options.windowBytes / 2) {
      this.writeFrame(windowUpdateFrame(stream.id, stream.ungranted));
      stream.receiveWindow += stream.ungranted;
      stream.ungranted = 0;
    }
  }

  // H2cStreamHost

  writeFrame(frame: Uint8Array): void {
    if (this.ended) return;
    if (this.socket.writableLength > SOCKET_FLOOD_BYTES) {
      this.goAway(ErrorCode.ENHANCE_YOUR_CALM, "the client does not read what it asks for");
      return;
    }
    this.socket.write(frame);
  }

  pump(): void {
    if (this.pumping || this.ended) return;
    this.pumping = true;
    this.socket.cork();
    try {
      for (const stream of this.streams.values()) {
        if (this.socket.writableLength >= SOCKET_HIGH_BYTES) break;
        if (!stream.pending) continue;
        const maxFrame = Math.min(this.peerMaxFrame, MAX_SEND_FRAME_BYTES);
        this.sendWindow -= stream.sendSome(
          (bytes, done) => this.socket.write(bytes, done && (() => done())),
          this.sendWindow,
          maxFrame,
          SOCKET_HIGH_BYTES - this.socket.writableLength,
        );
      }
    } finally {
      this.socket.uncork();
      this.pumping = false;
    }
  }

  closed(stream: H2cStream): void {
    this.streams.delete(stream.id);
    if (this.streams.size === 0) {
      if (this.goingAway) this.goAway(ErrorCode.NO_ERROR, "");
      else this.armIdleTimer();
    }
  }

  // Frames

  private onSettings(flags: number, streamId: number, payload: Uint8Array): void {
    const settings = readPeerSettings(flags, streamId, payload, "client");
    this.flood.idle();
    if (settings === "ack") return;
    this.settingsSeen = true;
    if (settings.maxFrameBytes !== undefined) this.peerMaxFrame = settings.maxFrameBytes;
    if (settings.initialWindowBytes !== undefined) {
      const delta = settings.initialWindowBytes - this.peerInitialWindow;
      this.peerInitialWindow = settings.initialWindowBytes;
      for (const stream of this.streams.values()) {
        stream.sendWindow += delta;
        if (stream.sendWindow > MAX_WINDOW_BYTES) {
          throw new H2Error(
            "flow-control",
            `SETTINGS_INITIAL_WINDOW_SIZE takes stream ${stream.id}'s window over 2^31-1`,
          );
        }
      }
    }
    this.writeFrame(settingsFrame([], true));
    this.pump();
  }

  private onWindowUpdate(streamId: number, payload: Uint8Array): void {
    expectLength("WINDOW_UPDATE", payload, 4);
    const increment = readU32(payload, 0) & 0x7fffffff;
    if (streamId === 0) {
      if (increment === 0) throw new H2Error("protocol", "a connection WINDOW_UPDATE of 0");
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW_BYTES)
        throw new H2Error("flow-control", "the connection window over 2^31-1");
    } else {
      if (streamId > this.lastStreamId)
        throw new H2Error("protocol", `WINDOW_UPDATE on idle stream ${streamId}`);
      const stream = this.streams.get(streamId);
      if (stream === undefined) return; // closed since
      if (increment === 0) return stream.reset(ErrorCode.PROTOCOL_ERROR);
      stream.sendWindow += increment;
      if (stream.sendWindow > MAX_WINDOW_BYTES) return stream.reset(ErrorCode.FLOW_CONTROL_ERROR);
    }
    this.pump();
  }

  private onHeaders(flags: number, streamId: number, payload: Uint8Array): void {
    expectStream("HEADERS", streamId);
    const block = this.headerBlock.headers(flags, payload);
    if (block === undefined) {
      this.continuationStream = streamId;
      return;
    }
    this.onHeaderBlock(streamId, block);
  }

  private onHeaderBlock(
    streamId: number,
    block: { fields: [string, string][]; endStream: boolean } | undefined,
  ): void {
    if (block === undefined) return; // more CONTINUATION to come
    this.continuationStream = 0;
    const open = this.streams.get(streamId);
    if (open !== undefined) {
      // Trailers of the request: they must end it.
      if (!block.endStream || malformedRequestField(block.fields, true) !== undefined) {
        return open.reset(ErrorCode.PROTOCOL_ERROR);
      }
      return open.endRemote();
    }
    if (streamId <= this.lastStreamId) {
      // HEADERS on a stream closed here: ignored, the peer told (§5.1).
      this.writeFrame(rstStreamFrame(streamId, ErrorCode.STREAM_CLOSED));
      this.flood.idle();
      return;
    }
    if (streamId % 2 === 0) throw new H2Error("protocol", `a client opened stream ${streamId}, an even id`);
    this.lastStreamId = streamId;
    if (this.goingAway || this.streams.size >= this.options.maxConcurrentStreams) {
      this.writeFrame(rstStreamFrame(streamId, ErrorCode.REFUSED_STREAM));
      return;
    }
    if (malformedRequestField(block.fields, false) !== undefined) {
      this.writeFrame(rstStreamFrame(streamId, ErrorCode.PROTOCOL_ERROR));
      return;
    }
    const stream = new H2cStream(streamId, this, this.peerInitialWindow, this.options.windowBytes);
    this.streams.set(streamId, stream);
    clearTimeout(this.idleTimer);
    if (headerListBytes(block.fields) > this.options.maxHeaderBytes) {
      stream.respond([[":status", "431"]], true); // what follows of the request is dropped
    } else {
      this.options.onRequest(stream, block.fields);
    }
    if (block.endStream) stream.endRemote();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.ended) return;
    this.idleTimer = setTimeout(() => this.goAway(ErrorCode.NO_ERROR, "idle"), this.options.idleTimeoutMs);
    this.idleTimer.unref?.();
  }

  /** GOAWAY with `code`, then the connection ends (at once for an error, once written otherwise). */
  private goAway(code: number, debug: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    this.socket.end(goawayFrame(this.lastStreamId, code, debug.slice(0, 200)));
    // A peer that does not read cannot keep the socket: it is destroyed after a short grace.
    setTimeout(() => this.socket.destroy(), 1000).unref?.();
    this.closeAll();
  }

  private closeAll(): void {
    this.ended = true;
    clearTimeout(this.idleTimer);
    for (const stream of [...this.streams.values()]) stream.close();
  }
}

/** The size of a header list as SETTINGS_MAX_HEADER_LIST_SIZE counts it (RFC 9113 §6.5.2). */
function headerListBytes(fields: readonly (readonly [string, string])[]): number {
  let bytes = 0;
  for (const [name, value] of fields) bytes += name.length + value.length + 32;
  return bytes;
}
