// The loopback server of the HTTP/2 fuzzer. Each iteration's first connection is answered with the transcript
// (segments sent as the client gets far enough, each write handed to the socket on its own turn of the event
// loop, then FIN); later connections of a GrpcSink iteration go to a well-behaved `node:http2` WriteMessages
// server, which records every message it receives, so that a sink that reconnects can deliver what it holds.
import { type Server, type Socket, createServer } from "node:net";
import * as http2 from "node:http2";
import { setImmediate as nextTurn } from "node:timers/promises";
import { GrpcFrameDecoder } from "@iris/rrd";
import { FlowAudit } from "../../tests/live/flow-audit.ts";
import type { H2Frame } from "../../tests/live/raw-h2-server.ts";
import { type Transcript, TRIGGER_WAIT_MS, type Trigger } from "./transcript.ts";

const PREFACE_BYTES = 24;

/** One iteration as the server sees it. */
export interface Served {
  /** Resolves once the transcript was sent in full (or the client closed first) and the server sent FIN. */
  readonly serverDone: Promise<void>;
  /** Payloads of the gRPC messages the well-behaved server received (later connections). */
  readonly delivered: Uint8Array[];
  /** Connections the client made. */
  connections: number;
  /** The client's frames on the transcript's connection replayed against what the server had allowed. */
  audit(): FlowAudit | undefined;
}

interface Iteration extends Served {
  transcript: Transcript;
  client: ClientFrames | undefined;
  sockets: Set<Socket>;
  finish: () => void;
}

/** Splits a byte stream into HTTP/2 frames (9-byte header, payload), as they complete. */
class FrameSplitter {
  private pending = new Uint8Array(0);

  push(bytes: Uint8Array, out: (frame: H2Frame) => void): void {
    this.pending = this.pending.length === 0 ? bytes.slice() : Buffer.concat([this.pending, bytes]);
    let at = 0;
    while (at + 9 <= this.pending.length) {
      const p = this.pending;
      const length = (p[at]! << 16) | (p[at + 1]! << 8) | p[at + 2]!;
      if (at + 9 + length > p.length) break;
      const streamId = new DataView(p.buffer, p.byteOffset + at + 5, 4).getUint32(0) & 0x7fffffff;
      out({ type: p[at + 3]!, flags: p[at + 4]!, streamId, payload: p.slice(at + 9, at + 9 + length) });
      at += 9 + length;
    }
    this.pending = this.pending.subarray(at);
  }
}

/**
 * Watches the client's frames for the triggers of `Trigger`, and records both sides' frames in the form
 * `FlowAudit` (tests/live/flow-audit.ts) replays: what the client sent, checked against what the server had
 * allowed before each client frame arrived.
 */
class ClientFrames {
  readonly frames: H2Frame[] = [];
  readonly sent: (H2Frame & { readonly received: number })[] = [];
  /**
   * Server frames on streams whose HEADERS had not reached the server yet (a transcript sends them early), applied
   * once they have: the client had opened the stream before it could see them (a grant, a reset, an end).
   */
  private readonly early: H2Frame[] = [];
  private readonly splitter = new FrameSplitter();
  private readonly serverSplitter = new FrameSplitter();
  private serverBroke = false;
  sawRequest = false;
  sawEnd = false;
  private prefaceLeft = PREFACE_BYTES;
  private waiters: (() => void)[] = [];

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.prefaceLeft > 0) {
      const n = Math.min(this.prefaceLeft, bytes.length);
      this.prefaceLeft -= n;
      bytes = bytes.subarray(n);
    }
    this.splitter.push(bytes, (f) => {
      const { type, flags, streamId } = f;
      this.frames.push(f);
      if (type === 1 && streamId === 1) this.sawRequest = true;
      if ((type === 0 || type === 1) && streamId === 1 && flags & 1) this.sawEnd = true;
      if ((type === 3 && streamId === 1) || type === 7) this.sawEnd = this.sawRequest = true;
      if (type === 1) {
        for (const e of this.early.filter((e) => e.streamId === streamId)) this.recordSent(e);
      }
    });
    this.wake();
  }

  /** Bytes the server wrote: its frames, each with how many client frames had arrived before it. */
  serverWrote(bytes: Uint8Array): void {
    this.serverSplitter.push(bytes, (f) => {
      // A WINDOW_UPDATE of the wrong size ends the connection at the client: nothing after it counts.
      if (f.type === 8 && f.payload.length !== 4) this.serverBroke = true;
      if (this.serverBroke) return;
      const opened = this.frames.some((c) => c.type === 1 && c.streamId === f.streamId);
      if (f.streamId !== 0 && !opened) this.early.push(f);
      else this.recordSent(f);
    });
  }

  private recordSent(f: H2Frame): void {
    this.sent.push({ ...f, received: this.frames.length });
  }

  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  met(trigger: Trigger): boolean {
    return trigger === "connect" || (trigger === "request" ? this.sawRequest : this.sawEnd);
  }

  /** Resolves once `trigger` is met, or after TRIGGER_WAIT_MS. */
  async until(trigger: Trigger, closed: () => boolean): Promise<void> {
    const deadline = Date.now() + TRIGGER_WAIT_MS;
    while (!this.met(trigger) && !closed()) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export class TranscriptServer {
  private current: Iteration | undefined;
  private readonly h2 = http2.createServer();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.h2.on("stream", (stream) => this.writeMessages(stream));
    this.h2.on("sessionError", () => undefined);
    this.h2.on("session", (session) => session.on("error", () => undefined));
  }

  static async start(): Promise<TranscriptServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const self = new TranscriptServer(server, `rerun+http://127.0.0.1:${address.port}/proxy`);
    server.on("connection", (socket: Socket) => self.connection(socket));
    return self;
  }

  /** Serves `transcript` on the next connection (and the well-behaved server on the ones after it). */
  serve(transcript: Transcript): Served {
    this.endIteration();
    let finish = (): void => undefined;
    const serverDone = new Promise<void>((resolve) => (finish = resolve));
    const it: Iteration = {
      transcript,
      sockets: new Set(),
      delivered: [],
      connections: 0,
      serverDone,
      finish,
      client: undefined,
      audit: () => (it.client === undefined ? undefined : new FlowAudit(it.client).catchUp()),
    };
    this.current = it;
    return it;
  }

  /** Destroys every connection of the current iteration. */
  endIteration(): void {
    const it = this.current;
    this.current = undefined;
    if (it === undefined) return;
    for (const s of it.sockets) s.destroy();
    it.finish();
  }

  async close(): Promise<void> {
    this.endIteration();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connection(socket: Socket): void {
    const it = this.current;
    socket.on("error", () => undefined);
    if (it === undefined) {
      socket.destroy();
      return;
    }
    it.sockets.add(socket);
    socket.on("close", () => it.sockets.delete(socket));
    it.connections++;
    if (it.connections > 1) {
      if (it.transcript.target === "sink") this.h2.emit("connection", socket);
      else socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const client = new ClientFrames();
    it.client = client;
    let closed = false;
    socket.on("data", (chunk: Uint8Array) => client.push(chunk));
    socket.on("close", () => {
      closed = true;
      client.wake();
    });
    void (async () => {
      for (const segment of it.transcript.segments) {
        await client.until(segment.after, () => closed);
        for (const write of segment.writes) {
          if (closed || socket.destroyed) break;
          socket.write(write);
          client.serverWrote(write);
          await nextTurn();
        }
      }
      if (!socket.destroyed) socket.end();
      it.finish();
    })();
  }

  /** The well-behaved WriteMessages server: records each message, answers OK at the end of each request. */
  private writeMessages(stream: http2.ServerHttp2Stream): void {
    const it = this.current;
    stream.on("error", () => undefined);
    const decoder = new GrpcFrameDecoder(64 << 20, (n) => new Error(`a message of ${n} bytes`));
    const received: Uint8Array[] = [];
    let broken = false;
    stream.on("data", (chunk: Uint8Array) => {
      try {
        for (const frame of decoder.push(chunk)) received.push(frame.bytes.slice());
      } catch {
        broken = true;
      }
    });
    stream.on("end", () => {
      if (stream.destroyed) return;
      if (broken) {
        stream.respond(
          { ":status": 200, "content-type": "application/grpc", "grpc-status": "13" },
          { endStream: true },
        );
        return;
      }
      it?.delivered.push(...received);
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(new Uint8Array(5));
    });
  }
}
