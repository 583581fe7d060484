// A gRPC WriteMessages server on the raw HTTP/2 server (raw-h2-server.ts), for tests of `GrpcSink` that choose the
// server's every frame: it decodes each request stream's messages (with the decoder the proxy server uses), answers
// a request when it ends, grants flow-control window as the test decides, and audits what the client sent against
// what the server allowed (flow-audit.ts).
import { fromBinary } from "@bufbuild/protobuf";
import { GrpcFrameDecoder, type RrdMessage, rrdMessageFromProto, sdkCommsPb } from "@iris/rrd";
import { FlowAudit } from "./flow-audit.ts";
import {
  Flag,
  FrameType,
  type H2Frame,
  type RawH2Connection,
  type RawH2Server,
  settingsPayload,
  startRawH2Server,
} from "./raw-h2-server.ts";

type Headers = readonly (readonly [string, string])[];

export const RESPONSE: Headers = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];

/** One request stream of a WriteMessages call, as the server received it. */
export class WriteStream {
  /** The requests, decoded as each message completes. */
  readonly requests: sdkCommsPb.WriteMessagesRequest[] = [];
  /** Every DATA frame's payload length, and the request's byte offsets where a gRPC message ends. */
  readonly dataFrames: number[] = [];
  readonly messageEnds = new Set<number>();
  bytes = 0;
  private decodedBytes = 0;
  clientEnded = false;
  /** Reset by the client (RST_STREAM). */
  clientReset = false;
  answer: "ok" | "error" | "reset" | undefined;
  private readonly decoder = new GrpcFrameDecoder(
    64 * 1024 ** 2,
    (n) => new Error(`a message of ${n} bytes`),
  );

  constructor(
    readonly connection: WriteConnection,
    readonly id: number,
  ) {}

  receive(payload: Uint8Array): void {
    this.dataFrames.push(payload.length);
    for (const frame of this.decoder.push(payload)) {
      this.requests.push(fromBinary(sdkCommsPb.WriteMessagesRequestSchema, frame.bytes));
      // Messages follow each other from the request's first byte: each ends where the ones before it add up to.
      this.decodedBytes += frame.frame.length;
      this.messageEnds.add(this.decodedBytes);
    }
    this.bytes += payload.length;
  }

  /** Answers OK: response headers, an empty WriteMessagesResponse, trailers with grpc-status 0. */
  ok(): void {
    if (!this.open()) return;
    this.answer = "ok";
    this.connection.server.acknowledged.push(this);
    const c = this.connection.raw;
    c.sendHeaders(this.id, RESPONSE);
    c.send(FrameType.DATA, 0, this.id, new Uint8Array(5));
    c.sendHeaders(this.id, [["grpc-status", "0"]], Flag.END_STREAM);
  }

  /** Answers with gRPC status `code`: response headers, then trailers. */
  fail(code: number, message: string): void {
    if (!this.open()) return;
    this.answer = "error";
    const c = this.connection.raw;
    c.sendHeaders(this.id, RESPONSE);
    c.sendHeaders(
      this.id,
      [
        ["grpc-status", String(code)],
        ["grpc-message", encodeURIComponent(message)],
      ],
      Flag.END_STREAM,
    );
  }

  /** RST_STREAM with `code`. */
  reset(code: number): void {
    if (!this.open()) return;
    this.answer = "reset";
    this.connection.raw.send(FrameType.RST_STREAM, 0, this.id, Uint8Array.of(0, 0, 0, code));
  }

  /** The messages carried, as `RrdMessage`s. */
  messages(): RrdMessage[] {
    return this.requests.map((r) => rrdMessageFromProto(r.logMsg!.msg));
  }

  private open(): boolean {
    return this.answer === undefined && !this.clientReset && !this.connection.raw.closed;
  }
}

/** The server's side of one connection. */
export class WriteConnection {
  readonly streams = new Map<number, WriteStream>();
  readonly audit: FlowAudit;
  /** GOAWAY was sent with this last stream id: later streams are left unanswered. */
  lastStreamId = Number.POSITIVE_INFINITY;

  constructor(
    readonly server: WriteServer,
    readonly raw: RawH2Connection,
    readonly index: number,
  ) {
    this.audit = new FlowAudit(raw);
  }

  /** Grants `bytes` of window on `streamId` (0: the connection). */
  grant(streamId: number, bytes: number): void {
    if (bytes <= 0) return;
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, bytes);
    this.raw.send(FrameType.WINDOW_UPDATE, 0, streamId, payload);
  }

  settings(settings: readonly (readonly [number, number])[]): void {
    this.raw.send(FrameType.SETTINGS, 0, 0, settingsPayload(settings));
  }

  goaway(lastStreamId: number, code: number): void {
    this.lastStreamId = lastStreamId;
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setUint32(0, lastStreamId);
    new DataView(payload.buffer).setUint32(4, code);
    this.raw.send(FrameType.GOAWAY, 0, 0, payload);
  }

  /** The client's frames from index `from` on that `match` accepts. */
  clientFrames(match: (f: H2Frame) => boolean, from = 0): H2Frame[] {
    return this.raw.frames.slice(from).filter(match);
  }

  onFrames(frames: readonly H2Frame[]): void {
    const received: { stream: WriteStream; bytes: number }[] = [];
    const ended: WriteStream[] = [];
    for (const f of frames) {
      let stream = this.streams.get(f.streamId);
      switch (f.type) {
        case FrameType.HEADERS:
          if (stream === undefined && f.streamId % 2 === 1) {
            stream = new WriteStream(this, f.streamId);
            this.streams.set(f.streamId, stream);
            this.server.streams.push(stream);
          }
          break;
        case FrameType.DATA:
          if (stream === undefined) break;
          stream.receive(f.payload);
          received.push({ stream, bytes: f.payload.length });
          break;
        case FrameType.RST_STREAM:
          if (stream !== undefined) stream.clientReset = true;
          break;
        case FrameType.PING:
          if ((f.flags & Flag.ACK) === 0) this.raw.send(FrameType.PING, Flag.ACK, 0, f.payload);
          break;
      }
      if (stream !== undefined && (f.type === FrameType.HEADERS || f.type === FrameType.DATA)) {
        if (f.flags & Flag.END_STREAM && !stream.clientEnded) {
          stream.clientEnded = true;
          ended.push(stream);
        }
      }
    }
    this.audit.catchUp();
    const { grant, onRequestEnd, onRead } = this.server.options;
    if (grant === "auto") {
      let total = 0;
      const perStream = new Map<number, number>();
      for (const { stream, bytes } of received) {
        total += bytes;
        if (!stream.clientEnded) perStream.set(stream.id, (perStream.get(stream.id) ?? 0) + bytes);
      }
      this.grant(0, total);
      for (const [id, bytes] of perStream) this.grant(id, bytes);
    }
    for (const stream of ended) {
      if (stream.id > this.lastStreamId) continue;
      if (onRequestEnd) onRequestEnd(stream);
      else stream.ok();
    }
    onRead?.(this, frames);
    this.audit.catchUp();
  }
}

export interface WriteServerOptions {
  /** The server's SETTINGS (sent first on every connection). */
  settings?: readonly (readonly [number, number])[];
  /** "auto": every DATA byte is granted back at once (stream and connection); "none": the test grants. */
  grant?: "auto" | "none";
  /** A request stream ended (END_STREAM); default: answer OK at once. */
  onRequestEnd?: (stream: WriteStream) => void;
  /** A new connection (after the server's SETTINGS were sent). */
  onConnection?: (c: WriteConnection) => void;
  /** After each read of the client's frames, once they were handled. */
  onRead?: (c: WriteConnection, frames: readonly H2Frame[]) => void;
}

export class WriteServer {
  readonly connections: WriteConnection[] = [];
  /** Every request stream, in the order they were opened (all connections). */
  readonly streams: WriteStream[] = [];
  /** The streams answered OK, in the order they were answered. */
  readonly acknowledged: WriteStream[] = [];
  /** Errors from the server's handling (a test checks there were none). */
  readonly errors: unknown[] = [];
  raw: RawH2Server | undefined;

  constructor(readonly options: WriteServerOptions) {}

  get url(): string {
    return this.raw!.url;
  }

  async start(): Promise<this> {
    this.raw = await startRawH2Server((raw) => {
      const c = new WriteConnection(this, raw, this.connections.length);
      this.connections.push(c);
      raw.onFrames = (frames) => {
        try {
          c.onFrames(frames);
        } catch (error) {
          this.errors.push(error);
        }
      };
      this.options.onConnection?.(c);
    }, this.options.settings ?? []);
    return this;
  }

  /** Every message of the streams answered OK, in the order they were answered. */
  delivered(): RrdMessage[] {
    return this.acknowledged.flatMap((s) => s.messages());
  }

  close(): Promise<void> {
    return this.raw?.close() ?? Promise.resolve();
  }
}

/** Waits until `condition` holds, checking whenever the server reads something; fails after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
