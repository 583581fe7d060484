import * as net from "node:net";
import * as tls from "node:tls";
import { concatBytes } from "@iris/types";
import { H2Error } from "./h2-error.ts";
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW_BYTES,
  ErrorCode,
  Flag,
  FrameType,
  MAX_WINDOW_BYTES,
  MIN_MAX_FRAME_BYTES,
  Setting,
  encodeFrame,
  frameHeader,
  goawayFrame,
  settingsFrame,
  windowUpdateFrame,
} from "./h2-frame.ts";
import {
  expectConnection,
  expectLength,
  expectStream,
  printable,
  readServerSettings,
  readU32,
  u32,
} from "./h2-frame-checks.ts";
import { H2FrameParser, type H2FrameSink } from "./h2-frame-parser.ts";
import { type HeaderBlock, HeaderBlockAssembler, MAX_HEADER_LIST_BYTES } from "./h2-header-block.ts";
import { H2Stream, type H2StreamEnd, type H2StreamHandlers, type H2StreamHost } from "./h2-stream.ts";
import { encodeLiteralHeaderBlock } from "./hpack-literal.ts";

export interface H2SessionOptions {
  host: string;
  port: number;
  /** `:authority`, e.g. "127.0.0.1:9876". */
  authority: string;
  /** Receive window of each stream and of the connection, in bytes. */
  windowBytes: number;
  /** HTTP/2 over TLS (ALPN "h2") instead of cleartext; `ca`: the certificate authorities to trust (default: Node's). */
  tls?: { ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined } | undefined;
}

/** The connection options for `base` ("http://host:port": cleartext, "https://host:port": TLS trusting `ca`). */
export function sessionTarget(
  base: string,
  ca?: string | Uint8Array | readonly (string | Uint8Array)[],
): Pick<H2SessionOptions, "host" | "port" | "authority" | "tls"> {
  const url = new URL(base);
  const https = url.protocol === "https:";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port !== "" ? Number(url.port) : https ? 443 : 80,
    authority: url.host,
    tls: https ? { ca } : undefined,
  };
}

/** Our SETTINGS_MAX_FRAME_SIZE: DATA frames are not buffered, so larger frames cost nothing. */
const MAX_FRAME_BYTES = 1 << 20;
/** Largest DATA frame we send (if the server allows it): larger ones gain nothing. */
const MAX_SEND_FRAME_BYTES = 1 << 20;
/** Size of the memory every socket read lands in (reused). */
const READ_BUFFER_BYTES = 256 * 1024;
/** Request bytes are handed to the socket while it holds fewer than this unsent (the rest waits in the streams). */
const SOCKET_HIGH_BYTES = 4 << 20;
/** Acknowledgements (PING, SETTINGS) queued towards a server that does not read before we give up on it. */
const MAX_UNSENT_CONTROL_BYTES = 1 << 20;
/** Streams remembered after they ended, to tell a late frame on them from one on a stream never opened. */
const REMEMBERED_CLOSED_STREAMS = 256;
const LAST_STREAM_ID = MAX_WINDOW_BYTES;

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
  private readonly socket: net.Socket;
  private readonly parser = new H2FrameParser(this, MAX_FRAME_BYTES);
  private readonly headerBlock = new HeaderBlockAssembler();
  /** The stream of the header block being gathered (HEADERS, then CONTINUATION on the same stream). */
  private headerStreamId = 0;
  private readonly window: number;
  private readonly scheme: "http" | "https";
  private connRecv: number;
  private connUngranted = 0;
  private connSend = DEFAULT_WINDOW_BYTES;
  /** The server's SETTINGS_INITIAL_WINDOW_SIZE (a change moves every stream's send window by the difference). */
  private initialSendWindow = DEFAULT_WINDOW_BYTES;
  private peerMaxFrame = MIN_MAX_FRAME_BYTES;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  /** Live streams, by id (in the order they were created). */
  private readonly streams = new Map<number, H2Stream>();
  /** Streams that ended: "remote" (the server ended them: a later frame breaks HTTP/2) or "local" (we reset them). */
  private readonly closedStreams = new Map<number, "remote" | "local">();
  private openedStreams = 0;
  private nextStreamId = 1;
  /** The DATA frame being read belongs to this stream (undefined: it is discarded). */
  private dataStream: H2Stream | undefined;
  private sawSettings = false;
  private goaway: { code: number; debug: string } | undefined;
  private over = false;
  private waitingForSocket = false;
  private ping_: { payload: Uint8Array; timer: ReturnType<typeof setTimeout> } | undefined;
  private pingCounter = 0;

  constructor(private readonly options: H2SessionOptions) {
    this.window = Math.min(Math.max(options.windowBytes, DEFAULT_WINDOW_BYTES), MAX_WINDOW_BYTES);
    this.connRecv = this.window;
    this.scheme = options.tls === undefined ? "http" : "https";
    const readBuffer = new Uint8Array(READ_BUFFER_BYTES);
    const onread = {
      buffer: readBuffer,
      callback: (n: number, buffer: Uint8Array) => this.onRead(buffer.subarray(0, n)),
    };
    if (options.tls === undefined) {
      this.socket = net.connect({ host: options.host, port: options.port, onread });
    } else {
      // `onread` works for TLS sockets too (net.Socket's option; Node's tls typings do not list it).
      const connectOptions: tls.ConnectionOptions & { onread: net.OnReadOpts } = {
        host: options.host,
        port: options.port,
        // SNI names a host, never an address (RFC 6066).
        ...(net.isIP(options.host) === 0 && { servername: options.host }),
        ...(options.tls.ca !== undefined && { ca: options.tls.ca as tls.ConnectionOptions["ca"] }),
        ALPNProtocols: ["h2"],
        onread,
      };
      const socket = tls.connect(connectOptions);
      socket.once("secureConnect", () => {
        if (socket.alpnProtocol !== "h2") {
          this.fail(
            new H2Error(
              "protocol",
              `the server did not agree to HTTP/2 over TLS (ALPN: ${JSON.stringify(socket.alpnProtocol || "none")}, expected "h2")`,
            ),
          );
        }
      });
      this.socket = socket;
    }
    this.socket.setNoDelay(true);
    this.socket.on("error", (error) => this.endAll({ kind: "socket", error }));
    this.socket.on("close", () =>
      this.endAll({ kind: "closed", ...(this.goaway && { goaway: this.goaway }) }),
    );
    this.socket.on("drain", () => {
      if (!this.waitingForSocket) return;
      this.waitingForSocket = false;
      this.pump();
    });
    this.writeControl(
      CLIENT_PREFACE,
      settingsFrame([
        [Setting.ENABLE_PUSH, 0],
        [Setting.INITIAL_WINDOW_SIZE, this.window],
        [Setting.MAX_FRAME_SIZE, MAX_FRAME_BYTES],
        [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES],
      ]),
      ...(this.window > DEFAULT_WINDOW_BYTES
        ? [windowUpdateFrame(0, this.window - DEFAULT_WINDOW_BYTES)]
        : []),
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
    const id = this.nextStreamId;
    const block = encodeLiteralHeaderBlock([
      [":method", "POST"],
      [":scheme", this.scheme],
      [":path", path],
      [":authority", this.options.authority],
      ...headers,
    ]);
    const stream = new H2Stream(id, block, handlers, this, this.initialSendWindow, this.window);
    if (this.closed || id > LAST_STREAM_ID) {
      stream.finish();
      const goaway = this.goaway;
      queueMicrotask(() => handlers.end({ kind: "closed", ...(goaway && { goaway }) }));
      return stream;
    }
    if (block.length > MIN_MAX_FRAME_BYTES) {
      throw new RangeError(`request headers of ${block.length} bytes (at most ${MIN_MAX_FRAME_BYTES})`);
    }
    this.nextStreamId += 2;
    this.streams.set(id, stream);
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
      this.socket.destroy();
    }, timeoutMs);
    timer.unref();
    this.ping_ = { payload: concatBytes([new Uint8Array(4), payload]), timer };
    this.writeControl(encodeFrame(FrameType.PING, 0, 0, this.ping_.payload));
  }

  /** Whether the connection keeps Node running (`ref`) or not (`unref`). */
  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }

  /** Cancels every stream (RST_STREAM CANCEL) and closes the connection (GOAWAY); no handler is called after this. */
  close(): void {
    if (this.over) return;
    this.over = true;
    const frames: Uint8Array[] = [];
    for (const s of this.streams.values()) {
      if (s.opened) frames.push(encodeFrame(FrameType.RST_STREAM, 0, s.id, u32(ErrorCode.CANCEL)));
      s.finish();
    }
    this.streams.clear();
    this.endSocket([...frames, goawayFrame(0, ErrorCode.NO_ERROR)]);
  }

  // --- H2StreamHost ---

  /** Opens waiting streams and sends queued request bytes, as far as flow control and the socket allow. */
  pump(): void {
    if (this.over || this.socket.destroyed) return;
    this.socket.cork();
    try {
      for (const s of this.streams.values()) {
        if (!s.opened) {
          if (this.openedStreams >= this.peerMaxStreams) break;
          s.opened = true;
          this.openedStreams++;
          this.socket.write(encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, s.id, s.headerBlock));
        }
        if (!this.sendData(s)) break;
      }
    } finally {
      this.socket.uncork();
    }
  }

  grant(): void {
    if (this.over) return;
    const frames: Uint8Array[] = [];
    let paused = false;
    const batch = this.window / 4;
    for (const s of this.streams.values()) {
      if (s.isPaused) paused = true;
      else if (s.ungranted >= batch) {
        frames.push(windowUpdateFrame(s.id, s.ungranted));
        s.recvWindow += s.ungranted;
        s.ungranted = 0;
      }
    }
    // A paused stream holds the connection's window back too: a server that honours flow control stops.
    if (!paused && this.connUngranted >= batch) {
      frames.unshift(windowUpdateFrame(0, this.connUngranted));
      this.connRecv += this.connUngranted;
      this.connUngranted = 0;
    }
    if (frames.length > 0) this.writeControl(...frames);
  }

  reset(stream: H2Stream, code: number): void {
    if (this.streams.get(stream.id) !== stream) return;
    if (stream.opened) this.writeControl(encodeFrame(FrameType.RST_STREAM, 0, stream.id, u32(code)));
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
        this.expectOpenedStream(type === FrameType.HEADERS ? "HEADERS" : "CONTINUATION", streamId);
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
        this.expectOpenedStream("RST_STREAM", streamId);
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
    if (streamId === 0 || streamId % 2 === 0 || streamId >= this.nextStreamId) {
      throw new H2Error("protocol", `DATA on stream ${streamId}, which we did not open`);
    }
    this.connRecv -= frameBytes;
    if (this.connRecv < 0) {
      throw new H2Error(
        "flow-control",
        `the server sent ${frameBytes} bytes of DATA beyond the connection window we granted (${this.connRecv + frameBytes} bytes left)`,
      );
    }
    this.connUngranted += frameBytes;
    const stream = this.streams.get(streamId);
    this.dataStream = stream;
    if (stream === undefined) {
      if (this.closedStreams.get(streamId) === "remote") {
        throw new H2Error("protocol", `DATA after the end of stream ${streamId} (STREAM_CLOSED)`);
      }
      return; // a stream we reset: its bytes are dropped (their window given back above)
    }
    if (!stream.sawResponse)
      throw new H2Error("protocol", `DATA before the response headers on stream ${streamId}`);
    stream.recvWindow -= frameBytes;
    if (stream.recvWindow < 0) {
      throw new H2Error(
        "flow-control",
        `the server sent ${frameBytes} bytes of DATA beyond the window we granted stream ${streamId} (${stream.recvWindow + frameBytes} bytes left)`,
      );
    }
    stream.ungranted += frameBytes;
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

  private onRead(bytes: Uint8Array): boolean {
    if (this.over) return false;
    try {
      this.parser.push(bytes);
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

  /** A frame about stream `streamId` must name a stream we opened (RFC 9113 §5.1: not idle). */
  private expectOpenedStream(name: string, streamId: number): void {
    if (streamId === 0 || streamId % 2 === 0 || streamId >= this.nextStreamId) {
      throw new H2Error("protocol", `${name} on stream ${streamId}, which we did not open`);
    }
  }

  /** A complete response header block: the response headers (after any 1xx), then the trailers. */
  private onHeaderBlock(streamId: number, block: HeaderBlock): void {
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      if (this.closedStreams.get(streamId) === "remote") {
        throw new H2Error("protocol", `HEADERS after the end of stream ${streamId} (STREAM_CLOSED)`);
      }
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
    const settings = readServerSettings(flags, streamId, payload);
    if (settings === "ack") return;
    if (settings.initialWindowBytes !== undefined) {
      const delta = settings.initialWindowBytes - this.initialSendWindow;
      this.initialSendWindow = settings.initialWindowBytes;
      for (const s of this.streams.values()) {
        s.sendWindow += delta;
        if (s.sendWindow > MAX_WINDOW_BYTES) {
          throw new H2Error(
            "flow-control",
            `SETTINGS_INITIAL_WINDOW_SIZE grew a send window past ${MAX_WINDOW_BYTES} bytes`,
          );
        }
      }
    }
    if (settings.maxFrameBytes !== undefined) this.peerMaxFrame = settings.maxFrameBytes;
    if (settings.maxConcurrentStreams !== undefined) this.peerMaxStreams = settings.maxConcurrentStreams;
    this.sawSettings = true;
    this.writeControl(settingsFrame([], true));
    this.pump();
  }

  private onWindowUpdate(streamId: number, payload: Uint8Array): void {
    expectLength("WINDOW_UPDATE", payload, 4);
    const increment = readU32(payload, 0) & MAX_WINDOW_BYTES;
    if (increment === 0)
      throw new H2Error("protocol", `a WINDOW_UPDATE on stream ${streamId} grants 0 bytes`);
    let window: number;
    if (streamId === 0) window = this.connSend += increment;
    else {
      const stream = this.streams.get(streamId);
      if (stream === undefined) return;
      window = stream.sendWindow += increment;
    }
    if (window > MAX_WINDOW_BYTES) {
      throw new H2Error("flow-control", `WINDOW_UPDATEs grew a send window past ${MAX_WINDOW_BYTES} bytes`);
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

  // --- sending ---

  /** Sends `stream`'s queued bytes as flow control allows; false when the socket is full (wait for "drain"). */
  private sendData(stream: H2Stream): boolean {
    if (stream.over || stream.endSent) return true;
    const frameLimit = Math.min(this.peerMaxFrame, MAX_SEND_FRAME_BYTES);
    let room = true;
    while (stream.queuedBytes > 0) {
      if (this.socket.writableLength >= SOCKET_HIGH_BYTES) {
        this.waitingForSocket = true;
        room = false;
        break;
      }
      const n = Math.min(stream.queuedBytes, this.connSend, stream.sendWindow, frameLimit);
      if (n <= 0) break; // the server's window is used up: a WINDOW_UPDATE will pump again
      const parts = stream.take(n);
      this.connSend -= n;
      stream.sendWindow -= n;
      const last = stream.queuedBytes === 0 && stream.endQueued;
      this.socket.write(frameHeader(n, FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id));
      for (const part of parts) this.socket.write(part);
      if (last) stream.endSent = true;
    }
    if (stream.queuedBytes === 0 && stream.endQueued && !stream.endSent) {
      this.socket.write(frameHeader(0, FrameType.DATA, Flag.END_STREAM, stream.id));
      stream.endSent = true;
    }
    stream.notifyDrained();
    return room;
  }

  /** Sends control frames at once; a server that leaves too much of them unread is given up on. */
  private writeControl(...frames: Uint8Array[]): void {
    if (this.over || this.socket.destroyed || this.socket.writableEnded) return;
    const limit = SOCKET_HIGH_BYTES + MAX_SEND_FRAME_BYTES + MAX_UNSENT_CONTROL_BYTES;
    if (this.socket.writableLength > limit) {
      this.fail(
        new H2Error(
          "calm",
          `the server does not read what it makes us send (${this.socket.writableLength} bytes unsent, limit ${limit})`,
        ),
      );
      return;
    }
    this.socket.cork();
    for (const f of frames) this.socket.write(f);
    this.socket.uncork();
  }

  // --- ending ---

  /** The server ended `stream`'s response: it is over (cancelled if its request was not sent in full). */
  private remoteEnded(stream: H2Stream): void {
    const cancel = !stream.endSent;
    this.forget(stream, "remote");
    if (cancel) this.writeControl(encodeFrame(FrameType.RST_STREAM, 0, stream.id, u32(ErrorCode.CANCEL)));
    stream.handlers.end({ kind: "ended" });
    this.pump();
    if (this.goaway !== undefined && this.streams.size === 0) this.finishSocket();
  }

  private forget(stream: H2Stream, how: "remote" | "local"): void {
    this.streams.delete(stream.id);
    if (stream.opened) this.openedStreams--;
    stream.finish();
    this.closedStreams.set(stream.id, how);
    if (this.closedStreams.size > REMEMBERED_CLOSED_STREAMS) {
      this.closedStreams.delete(this.closedStreams.keys().next().value!);
    }
  }

  /** The server broke HTTP/2: GOAWAY with its error, and every stream ends with it. */
  private fail(error: H2Error): void {
    if (this.over) return;
    this.endSocket([goawayFrame(0, error.code, error.message.slice(0, 200))]);
    this.endAll({ kind: "violation", error });
  }

  /** The connection is over: every live stream ends `how` (once). */
  private endAll(how: H2StreamEnd): void {
    if (this.over) return;
    this.over = true;
    if (this.ping_ !== undefined) clearTimeout(this.ping_.timer);
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.finish();
    for (const s of streams) s.handlers.end(how);
    this.endSocket([]);
  }

  /** After a GOAWAY, once the last stream the server kept is over: close the connection. */
  private finishSocket(): void {
    if (this.over) return;
    this.over = true;
    if (this.ping_ !== undefined) clearTimeout(this.ping_.timer);
    this.endSocket([goawayFrame(0, ErrorCode.NO_ERROR)]);
  }

  /** Sends `frames` last and closes the connection; it is destroyed if it does not close within a second. */
  private endSocket(frames: Uint8Array[]): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (!socket.writableEnded) {
      if (frames.length === 0) socket.end();
      else socket.end(concatBytes(frames));
    }
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
