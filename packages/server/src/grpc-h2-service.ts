import type * as http from "node:http";
import type * as http2 from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type GrpcFrame, GrpcFrameDecoder, grpcFrame, sdkCommsPb } from "@iris/rrd";
import { readMessagesFrame } from "./grpc-frame.ts";
import { uninitializedBytes } from "@iris/rrd/node";
import type { FrameBufferPool } from "./frame-buffer-pool.ts";
import type { MessageHub } from "./message-hub.ts";
import type { PartialMessageBudget } from "./partial-message-budget.ts";

const SERVICE_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/";
const GRPC_CONTENT_TYPE = /^application\/grpc(\+proto)?\s*(;|$)/i;

export interface GrpcH2ServiceOptions {
  hub: MessageHub;
  /** Largest gRPC message accepted (bytes behind the 5-byte frame header). */
  readMaxBytes: number;
  /**
   * Validates and publishes one producer message; throws a `ConnectError` to refuse it (ends the call). `frame` is
   * the gRPC frame it was decoded from (see `readMessagesFrame`).
   */
  accept: (request: sdkCommsPb.WriteMessagesRequest, frame: Uint8Array) => void;
  /** Bytes that unfinished incoming messages may hold in all (see `PartialMessageBudget`). */
  partialBudget?: PartialMessageBudget;
  /** Memory for incoming messages, reused once released (see `FrameLease`); fresh memory without it. */
  pool?: FrameBufferPool;
}

/**
 * The two hot methods of `MessageProxyService` over gRPC on h2c (`application/grpc`, `application/grpc+proto`),
 * served without connect-node: `WriteMessages` splits the request body into messages in one linear pass, and
 * `ReadMessages` writes each message's serialized frame, made once and shared by every reader
 * (`BacklogEntry.frame`), instead of serializing the same multi-MB message again for each reader. The wire format
 * is the same as connect-node's. Everything else (gRPC-web, Connect, `WriteTable`, other content types) goes to
 * connect-node.
 */
export class GrpcH2Service {
  constructor(private readonly options: GrpcH2ServiceOptions) {}

  /** Serves the request and returns true if it is a gRPC `WriteMessages`/`ReadMessages` call over HTTP/2. */
  handle(
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): boolean {
    if (!("stream" in req) || !("stream" in res) || req.method !== "POST") return false;
    const contentType = req.headers["content-type"];
    if (typeof contentType !== "string" || !GRPC_CONTENT_TYPE.test(contentType)) return false;
    const call = new Call(req, res, contentType);
    switch (req.url) {
      case `${SERVICE_PATH}WriteMessages`:
        void this.writeMessages(call);
        return true;
      case `${SERVICE_PATH}ReadMessages`:
        void this.readMessages(call);
        return true;
      default:
        return false;
    }
  }

  private async writeMessages(call: Call): Promise<void> {
    const { readMaxBytes } = this.options;
    const decoder = new GrpcFrameDecoder(
      readMaxBytes,
      (bytes) =>
        new ConnectError(
          `message size ${bytes} is larger than configured readMaxBytes ${readMaxBytes}`,
          Code.ResourceExhausted,
        ),
      this.options.partialBudget,
      this.options.pool ? (bytes, pad) => this.options.pool!.acquire(bytes, pad) : uninitializedBytes,
    );
    try {
      call.checkEncoding();
    } catch (error) {
      call.finish(ConnectError.from(error));
      return;
    }
    // Events rather than `for await`: leaving that loop early would destroy the stream before the status is sent.
    // The body is read from the HTTP/2 stream itself, not from the compatibility request (which is never read,
    // so it never attaches to the stream): a 1080p frame arrives in ~400 chunks, and each would otherwise go
    // through a second Readable.
    const error = await new Promise<ConnectError | undefined>((resolve) => {
      const req = call.req.stream;
      const settle = (e: ConnectError | undefined): void => {
        req.removeListener("data", onData);
        req.removeListener("end", onEnd);
        decoder.dispose();
        call.closed.removeEventListener("abort", onAbort);
        resolve(e);
      };
      const onData = (chunk: Uint8Array): void => {
        try {
          for (const frame of decoder.push(chunk)) this.accept(frame);
        } catch (e) {
          settle(ConnectError.from(e));
        }
      };
      const onEnd = (): void =>
        settle(
          decoder.atBoundary
            ? undefined
            : new ConnectError("protocol error: the request ended inside a message", Code.InvalidArgument),
        );
      const onAbort = (): void => settle(new ConnectError("the client closed the stream", Code.Canceled));
      req.on("data", onData);
      req.once("end", onEnd);
      call.closed.addEventListener("abort", onAbort, { once: true });
    });
    if (error !== undefined) {
      call.finish(error);
      return;
    }
    call.finish(undefined, WRITE_MESSAGES_RESPONSE);
  }

  private accept(frame: GrpcFrame): void {
    if (frame.compressed) {
      throw new ConnectError("received a compressed message, but no grpc-encoding", Code.Internal);
    }
    let request: sdkCommsPb.WriteMessagesRequest;
    try {
      request = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, frame.bytes);
    } catch (error) {
      throw new ConnectError(`parse binary: ${(error as Error).message}`, Code.Internal);
    }
    this.options.accept(request, frame.frame);
  }

  private async readMessages(call: Call): Promise<void> {
    try {
      call.checkEncoding();
    } catch (error) {
      call.finish(ConnectError.from(error));
      return;
    }
    call.req.stream.resume(); // the request is an empty ReadMessagesRequest
    const subscription = this.options.hub.subscribe();
    const signal = call.closed;
    try {
      call.sendHeaders();
      for (;;) {
        const entry = await subscription.nextEntry(signal);
        if (entry === undefined) break;
        entry.frame ??= readMessagesFrame(entry.msg);
        // The lease the subscription handed over with the entry ends when the socket has taken the bytes.
        const lease = entry.lease;
        await call.write(entry.frame, lease && (() => lease.release()));
      }
    } finally {
      subscription.close();
    }
    call.finish(undefined);
  }
}

const WRITE_MESSAGES_RESPONSE = grpcFrame(
  toBinary(sdkCommsPb.WriteMessagesResponseSchema, create(sdkCommsPb.WriteMessagesResponseSchema)),
);

/** One gRPC call on an HTTP/2 stream (compatibility API). */
class Call {
  private readonly abort = new AbortController();

  constructor(
    readonly req: http2.Http2ServerRequest,
    private readonly res: http2.Http2ServerResponse,
    private readonly contentType: string,
  ) {
    const stop = (): void => this.abort.abort();
    res.stream.once("close", stop);
    res.stream.once("error", stop);
    res.once("close", stop);
  }

  /** Aborted when the stream is closed or reset (the client went away). */
  get closed(): AbortSignal {
    return this.abort.signal;
  }

  /** Only uncompressed messages are accepted, as with connect-node's `acceptCompression: []`. */
  checkEncoding(): void {
    const encoding = this.req.headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") {
      throw new ConnectError(`unsupported grpc-encoding ${String(encoding)}`, Code.Unimplemented);
    }
  }

  sendHeaders(): void {
    if (!this.res.headersSent) this.res.writeHead(200, { "content-type": this.contentType });
  }

  /**
   * Writes `bytes`, then waits until the stream takes more (flow control) or is closed. `written` is called once
   * the bytes are no longer needed: written to the socket, or not written because the stream ended.
   */
  async write(bytes: Uint8Array, written?: () => void): Promise<void> {
    if (this.abort.signal.aborted || this.res.stream.destroyed) {
      written?.();
      return;
    }
    if (this.res.write(bytes, written && (() => written()))) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.removeListener("drain", done);
        this.abort.signal.removeEventListener("abort", done);
        resolve();
      };
      this.res.once("drain", done);
      this.abort.signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Ends the call with a status: trailers after a body, or a trailers-only response. */
  finish(error: ConnectError | undefined, body?: Uint8Array): void {
    const res = this.res;
    if (this.abort.signal.aborted || res.stream.destroyed) return;
    const status: Record<string, string> = error
      ? { "grpc-status": String(error.code), "grpc-message": encodeURIComponent(error.rawMessage) }
      : { "grpc-status": "0" };
    if (!res.headersSent && body === undefined) {
      // Trailers-only: one HEADERS frame carrying END_STREAM. (`writeHead` + `end` would send the status in a
      // HEADERS frame without END_STREAM followed by an empty DATA frame, which grpc-js reads as no status.)
      res.stream.respond(
        { ":status": 200, "content-type": this.contentType, ...status },
        { endStream: true },
      );
    } else {
      this.sendHeaders();
      if (body !== undefined) res.write(body);
      res.addTrailers(status);
      res.end();
    }
    // Let a producer whose call was refused finish sending; its data is discarded.
    if (!this.req.stream.readableEnded) this.req.stream.resume();
  }
}
