import type * as http2 from "node:http2";
import type { ConnectError } from "@connectrpc/connect";
import { type GrpcServerCall, grpcStatusFields } from "./grpc-server-call.ts";

/** A gRPC call on a `node:http2` stream (compatibility API). */
export class NodeGrpcCall implements GrpcServerCall {
  private readonly abort = new AbortController();

  constructor(
    private readonly req: http2.Http2ServerRequest,
    private readonly res: http2.Http2ServerResponse,
    private readonly contentType: string,
  ) {
    const stop = (): void => this.abort.abort();
    res.stream.once("close", stop);
    res.stream.once("error", stop);
    res.once("close", stop);
  }

  get closed(): AbortSignal {
    return this.abort.signal;
  }

  get encoding(): string | undefined {
    const encoding = this.req.headers["grpc-encoding"];
    return encoding === undefined ? undefined : String(encoding);
  }

  // The body is read from the HTTP/2 stream itself, not from the compatibility request (which is never read, so
  // it never attaches to the stream): a 1080p frame arrives in ~400 chunks, and each would otherwise go through a
  // second Readable.
  readBody(onData: (chunk: Uint8Array) => void, onEnd: () => void): () => void {
    const stream = this.req.stream;
    stream.on("data", onData);
    stream.once("end", onEnd);
    return () => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
    };
  }

  discardBody(): void {
    if (!this.req.stream.readableEnded) this.req.stream.resume();
  }

  sendHeaders(): void {
    if (!this.res.headersSent) this.res.writeHead(200, { "content-type": this.contentType });
  }

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

  finish(error: ConnectError | undefined, body?: Uint8Array): void {
    const res = this.res;
    if (this.abort.signal.aborted || res.stream.destroyed) return;
    const status = grpcStatusFields(error);
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
    this.discardBody();
  }
}
