import type * as http from "node:http";
import type * as http2 from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type GrpcFrame, GrpcFrameDecoder, grpcFrame, sdkCommsPb } from "@iris/rrd";
import { readMessagesFrame } from "./grpc-frame.ts";
import { uninitializedBytes } from "@iris/rrd/node";
import type { GrpcServerCall } from "./grpc-server-call.ts";
import type { H2cStream } from "./h2c-stream.ts";
import { NodeGrpcCall } from "./node-grpc-call.ts";
import { OwnGrpcCall } from "./own-grpc-call.ts";
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

  /** Serves the request and returns true if it is a gRPC `WriteMessages`/`ReadMessages` call over `node:http2`. */
  handle(
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): boolean {
    if (!("stream" in req) || !("stream" in res) || req.method !== "POST") return false;
    const contentType = req.headers["content-type"];
    if (typeof contentType !== "string" || !GRPC_CONTENT_TYPE.test(contentType)) return false;
    const method = hotMethod(req.url);
    if (method === undefined) return false;
    this.serve(method, new NodeGrpcCall(req, res, contentType));
    return true;
  }

  /**
   * Serves a request of Iris's own HTTP/2 server (`H2cConnection`; `field` looks a request field up) and returns
   * true if it is a gRPC `WriteMessages`/`ReadMessages` call.
   */
  handleStream(stream: H2cStream, field: (name: string) => string | undefined): boolean {
    const contentType = field("content-type");
    if (field(":method") !== "POST" || contentType === undefined || !GRPC_CONTENT_TYPE.test(contentType)) {
      return false;
    }
    const method = hotMethod(field(":path"));
    if (method === undefined) return false;
    this.serve(method, new OwnGrpcCall(stream, field("grpc-encoding"), contentType));
    return true;
  }

  private serve(method: "WriteMessages" | "ReadMessages", call: GrpcServerCall): void {
    if (call.encoding !== undefined && call.encoding !== "identity") {
      // Only uncompressed messages are accepted, as with connect-node's `acceptCompression: []`.
      call.finish(new ConnectError(`unsupported grpc-encoding ${call.encoding}`, Code.Unimplemented));
      return;
    }
    if (method === "WriteMessages") void this.writeMessages(call);
    else void this.readMessages(call);
  }

  private async writeMessages(call: GrpcServerCall): Promise<void> {
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
    // Events rather than `for await`: leaving that loop early would destroy the stream before the status is sent.
    const error = await new Promise<ConnectError | undefined>((resolve) => {
      const settle = (e: ConnectError | undefined): void => {
        stopReading();
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
      // A message's body read straight into its buffer (Iris's own server): no copy out of the read buffer.
      const inPlace = {
        target: (maxBytes: number) => decoder.target(maxBytes),
        filled: (n: number) => {
          try {
            for (const frame of decoder.filled(n)) this.accept(frame);
          } catch (e) {
            settle(ConnectError.from(e));
          }
        },
      };
      const stopReading = call.readBody(onData, onEnd, inPlace);
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

  private async readMessages(call: GrpcServerCall): Promise<void> {
    call.discardBody(); // the request is an empty ReadMessagesRequest
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

/** The hot method a request path names, if any. */
function hotMethod(path: string | undefined): "WriteMessages" | "ReadMessages" | undefined {
  if (path === `${SERVICE_PATH}WriteMessages`) return "WriteMessages";
  if (path === `${SERVICE_PATH}ReadMessages`) return "ReadMessages";
  return undefined;
}

const WRITE_MESSAGES_RESPONSE = grpcFrame(
  toBinary(sdkCommsPb.WriteMessagesResponseSchema, create(sdkCommsPb.WriteMessagesResponseSchema)),
);
