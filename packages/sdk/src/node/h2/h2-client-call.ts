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
  Setting,
  encodeFrame,
  goawayFrame,
  settingsFrame,
  windowUpdateFrame,
} from "./h2-frame.ts";
import { H2FrameParser, type H2FrameSink } from "./h2-frame-parser.ts";
import { type HeaderBlock, HeaderBlockAssembler, MAX_HEADER_LIST_BYTES } from "./h2-header-block.ts";
import {
  expectConnection,
  expectLength,
  expectStream,
  printable,
  readServerSettings,
  readU32,
  u32,
} from "./h2-frame-checks.ts";
import { encodeLiteralHeaderBlock } from "./hpack-literal.ts";

/** How a call ended: exactly one of these is reported, once. */
export type H2CallEnd =
  /** The response ended (END_STREAM). */
  | { kind: "ended" }
  /** The server reset the stream (RST_STREAM). */
  | { kind: "reset"; code: number }
  /** The server closed the connection (GOAWAY before it finished the call, or the connection just ended). */
  | { kind: "closed"; goaway?: { code: number; debug: string } }
  /** The server broke HTTP/2; the connection was closed with GOAWAY and `error.code`. */
  | { kind: "violation"; error: H2Error }
  /** The connection failed (connect, read or write error). */
  | { kind: "socket"; error: Error };

export interface H2CallHandlers {
  /** A header block of the response: its headers, later its trailers (`endStream` true). */
  headers(fields: readonly [string, string][], endStream: boolean): void;
  /** Response body bytes: a view valid only during the call. */
  data(bytes: Uint8Array): void;
  /** The call is over (not called after `close()`). */
  end(how: H2CallEnd): void;
}

export interface H2CallOptions {
  host: string;
  port: number;
  /** `:authority`, e.g. "127.0.0.1:9876". */
  authority: string;
  path: string;
  /** Request headers after the pseudo-headers, e.g. content-type. */
  headers: readonly (readonly [string, string])[];
  /** The whole request body, sent with END_STREAM. */
  body: Uint8Array;
  /** Receive window of the stream and of the connection, in bytes. */
  windowBytes: number;
  /** HTTP/2 over TLS (ALPN "h2") instead of cleartext; `ca`: the certificate authorities to trust (default: Node's). */
  tls?: { ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined } | undefined;
}

const STREAM_ID = 1;
/** Our SETTINGS_MAX_FRAME_SIZE: DATA frames are not buffered, so larger frames cost nothing. */
const MAX_FRAME_BYTES = 1 << 20;
/** Size of the memory every socket read lands in (reused). */
const READ_BUFFER_BYTES = 256 * 1024;
/** Acknowledgements (PING, SETTINGS) queued towards a server that does not read before we give up on it. */
const MAX_UNSENT_BYTES = 1 << 20;

/**
 * One HTTP/2 request over its own cleartext connection (prior knowledge, RFC 9113 §3.3), its response streamed
 * to `handlers`. Written for gRPC server streaming at frame rate: the socket reads into one reused buffer and
 * DATA bytes reach `handlers.data` as views of it (no allocation per read or per frame); window updates are
 * batched per read and withheld while `pause()`d, so a server that honours flow control is held back by the
 * consumer. Every way a server can break HTTP/2 ends the call with a typed `H2Error`.
 */
export class H2ClientCall implements H2FrameSink {
  private readonly socket: net.Socket;
  private readonly parser = new H2FrameParser(this, MAX_FRAME_BYTES);
  private readonly headerBlock = new HeaderBlockAssembler();
  private readonly window: number;
  private connRecv: number;
  private streamRecv: number;
  private connSend = DEFAULT_WINDOW_BYTES;
  private streamSend = DEFAULT_WINDOW_BYTES;
  /** The server's SETTINGS_INITIAL_WINDOW_SIZE (a change moves the stream's send window by the difference). */
  private initialSendWindow = DEFAULT_WINDOW_BYTES;
  /** Bytes received but not yet granted back. */
  private ungranted = 0;
  private isPaused = false;
  private sawSettings = false;
  private sawResponse = false;
  private streamOpen = true;
  private goaway: { code: number; debug: string } | undefined;
  private over = false;

  constructor(
    options: H2CallOptions,
    private readonly handlers: H2CallHandlers,
  ) {
    this.window = Math.min(Math.max(options.windowBytes, DEFAULT_WINDOW_BYTES), MAX_WINDOW_BYTES);
    this.connRecv = this.window;
    this.streamRecv = this.window;
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
    this.socket.on("error", (error) => this.finish({ kind: "socket", error }));
    this.socket.on("close", () =>
      this.finish({ kind: "closed", ...(this.goaway && { goaway: this.goaway }) }),
    );
    const request = encodeLiteralHeaderBlock([
      [":method", "POST"],
      [":scheme", options.tls === undefined ? "http" : "https"],
      [":path", options.path],
      [":authority", options.authority],
      ...options.headers,
    ]);
    this.write(
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
      encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, STREAM_ID, request),
      encodeFrame(FrameType.DATA, Flag.END_STREAM, STREAM_ID, options.body),
    );
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Stops granting flow-control window: the server stops once it has sent what it was granted. */
  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    this.grant();
  }

  /** Cancels the call (RST_STREAM CANCEL, GOAWAY) and closes the connection; no handler is called after this. */
  close(): void {
    if (this.over) return;
    this.over = true;
    const frames = this.streamOpen
      ? [encodeFrame(FrameType.RST_STREAM, 0, STREAM_ID, u32(ErrorCode.CANCEL))]
      : [];
    this.endSocket([...frames, goawayFrame(0, ErrorCode.NO_ERROR)]);
  }

  private onRead(bytes: Uint8Array): boolean {
    if (this.over) return false;
    try {
      this.parser.push(bytes);
      if (!this.over) this.grant();
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

  frame(type: number, flags: number, streamId: number, payload: Uint8Array): void {
    if (this.over) return;
    if (!this.sawSettings && type !== FrameType.SETTINGS) {
      throw new H2Error("protocol", `the server's first frame has type ${type}, expected SETTINGS (4)`);
    }
    if (this.headerBlock.pending && type !== FrameType.CONTINUATION) {
      throw new H2Error("protocol", `a frame of type ${type} came between HEADERS and its CONTINUATION`);
    }
    switch (type) {
      case FrameType.HEADERS:
      case FrameType.CONTINUATION: {
        const name = type === FrameType.HEADERS ? "HEADERS" : "CONTINUATION";
        if (streamId !== STREAM_ID) {
          throw new H2Error(
            "protocol",
            `${name} on stream ${streamId}, which we did not open (expected ${STREAM_ID})`,
          );
        }
        return this.onHeaderBlock(
          type === FrameType.HEADERS
            ? this.headerBlock.headers(flags, payload)
            : this.headerBlock.continuation(flags, payload),
        );
      }
      case FrameType.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FrameType.PING:
        expectConnection("PING", streamId);
        expectLength("PING", payload, 8);
        if (!(flags & Flag.ACK)) this.write(encodeFrame(FrameType.PING, Flag.ACK, 0, payload));
        return;
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      case FrameType.RST_STREAM:
        expectStream("RST_STREAM", streamId);
        expectLength("RST_STREAM", payload, 4);
        if (streamId === STREAM_ID && this.streamOpen)
          this.finish({ kind: "reset", code: readU32(payload, 0) });
        return;
      case FrameType.GOAWAY: {
        expectConnection("GOAWAY", streamId);
        if (payload.length < 8) {
          throw new H2Error("frame-size", `a GOAWAY frame has ${payload.length} bytes, expected at least 8`);
        }
        const lastStreamId = readU32(payload, 0) & MAX_WINDOW_BYTES;
        this.goaway = { code: readU32(payload, 4), debug: printable(payload.subarray(8, 8 + 200)) };
        if (lastStreamId < STREAM_ID) this.finish({ kind: "closed", goaway: this.goaway });
        return;
      }
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
    if (streamId !== STREAM_ID)
      throw new H2Error("protocol", `DATA on stream ${streamId}, which we did not open`);
    if (!this.streamOpen) throw new H2Error("protocol", "DATA after the end of the stream (STREAM_CLOSED)");
    if (!this.sawResponse) throw new H2Error("protocol", "DATA before the response headers");
    this.connRecv -= frameBytes;
    this.streamRecv -= frameBytes;
    if (this.connRecv < 0 || this.streamRecv < 0) {
      throw new H2Error(
        "flow-control",
        `the server sent ${frameBytes} bytes of DATA beyond the window we granted ` +
          `(connection ${this.connRecv + frameBytes}, stream ${this.streamRecv + frameBytes} bytes left)`,
      );
    }
    this.ungranted += frameBytes;
  }

  data(bytes: Uint8Array): void {
    if (!this.over) this.handlers.data(bytes);
  }

  dataEnd(flags: number): void {
    if (!this.over && flags & Flag.END_STREAM) this.endStream();
  }

  /** A complete response header block: the response headers (after any 1xx), then the trailers. */
  private onHeaderBlock(block: HeaderBlock | undefined): void {
    if (block === undefined) return;
    if (!this.streamOpen)
      throw new H2Error("protocol", "HEADERS after the end of the stream (STREAM_CLOSED)");
    const status = block.fields.find(([name]) => name === ":status")?.[1];
    if (!this.sawResponse && status !== undefined && /^1\d\d$/.test(status) && !block.endStream) return;
    if (this.sawResponse && !block.endStream) {
      throw new H2Error(
        "protocol",
        "a second header block without END_STREAM (trailers must end the stream)",
      );
    }
    this.sawResponse = true;
    this.handlers.headers(block.fields, block.endStream);
    if (block.endStream && !this.over) this.endStream();
  }

  private onSettings(flags: number, streamId: number, payload: Uint8Array): void {
    const settings = readServerSettings(flags, streamId, payload);
    if (settings === "ack") return;
    if (settings.initialWindowBytes !== undefined) {
      this.streamSend += settings.initialWindowBytes - this.initialSendWindow;
      this.initialSendWindow = settings.initialWindowBytes;
    }
    this.sawSettings = true;
    this.write(settingsFrame([], true));
  }

  private onWindowUpdate(streamId: number, payload: Uint8Array): void {
    expectLength("WINDOW_UPDATE", payload, 4);
    const increment = readU32(payload, 0) & MAX_WINDOW_BYTES;
    if (increment === 0)
      throw new H2Error("protocol", `a WINDOW_UPDATE on stream ${streamId} grants 0 bytes`);
    if (streamId === 0) this.connSend += increment;
    else if (streamId === STREAM_ID) this.streamSend += increment;
    if (this.connSend > MAX_WINDOW_BYTES || this.streamSend > MAX_WINDOW_BYTES) {
      throw new H2Error("flow-control", `WINDOW_UPDATEs grew a send window past ${MAX_WINDOW_BYTES} bytes`);
    }
  }

  /** Gives the server back the window it used, unless paused; batched to a quarter of the window. */
  private grant(): void {
    if (this.isPaused || this.over || !this.streamOpen || this.ungranted < this.window / 4) return;
    const n = this.ungranted;
    this.ungranted = 0;
    this.connRecv += n;
    this.streamRecv += n;
    this.write(windowUpdateFrame(0, n), windowUpdateFrame(STREAM_ID, n));
  }

  private endStream(): void {
    this.streamOpen = false;
    this.finish({ kind: "ended" });
  }

  private fail(error: H2Error): void {
    if (this.over) return;
    this.over = true;
    this.endSocket([goawayFrame(0, error.code, error.message.slice(0, 200))]);
    this.handlers.end({ kind: "violation", error });
  }

  /** Reports how the call ended (once) and closes the connection. */
  private finish(how: H2CallEnd): void {
    if (this.over) return;
    this.over = true;
    this.endSocket(how.kind === "ended" ? [goawayFrame(0, ErrorCode.NO_ERROR)] : []);
    this.handlers.end(how);
  }

  /** Sends `frames`; a server that leaves more than MAX_UNSENT_BYTES unread is given up on. */
  private write(...frames: Uint8Array[]): void {
    if (this.over || this.socket.destroyed || this.socket.writableEnded) return;
    if (this.socket.writableLength > MAX_UNSENT_BYTES) {
      this.fail(
        new H2Error(
          "calm",
          `the server does not read what it makes us send (${this.socket.writableLength} bytes unsent, limit ${MAX_UNSENT_BYTES})`,
        ),
      );
      return;
    }
    this.socket.cork();
    for (const f of frames) this.socket.write(f);
    this.socket.uncork();
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
