import type { ConnectError } from "@connectrpc/connect";
import type { H2InPlaceBody } from "@iris/rrd/node";
import { type GrpcServerCall, grpcStatusFields } from "./grpc-server-call.ts";
import type { H2cStream } from "./h2c-stream.ts";

/**
 * Longest `grpc-message` sent, in characters before percent-encoding (at most 4 bytes each as UTF-8, 12 encoded):
 * the trailers must fit one HEADERS frame of the smallest size a peer may allow (16 KiB).
 */
const MAX_STATUS_MESSAGE_CHARS = 1000;

/** A gRPC call on a stream of Iris's own HTTP/2 server (`H2cConnection`). */
export class OwnGrpcCall implements GrpcServerCall {
  private readonly abort = new AbortController();
  private drained: (() => void) | undefined;

  constructor(
    private readonly stream: H2cStream,
    readonly encoding: string | undefined,
    private readonly contentType: string,
  ) {
    stream.onClose = () => {
      this.abort.abort();
      this.wake();
    };
    stream.onDrain = () => this.wake();
  }

  get closed(): AbortSignal {
    return this.abort.signal;
  }

  readBody(onData: (chunk: Uint8Array) => void, onEnd: () => void, inPlace?: H2InPlaceBody): () => void {
    this.stream.onData = onData;
    this.stream.onEnd = onEnd;
    this.stream.inPlace = inPlace;
    if (this.stream.remoteEnded) queueMicrotask(onEnd);
    return () => this.discardBody();
  }

  discardBody(): void {
    this.stream.onData = () => undefined;
    this.stream.onEnd = () => undefined;
    this.stream.inPlace = undefined;
  }

  sendHeaders(): void {
    if (!this.stream.responded) this.stream.respond(this.headers());
  }

  async write(bytes: Uint8Array, written?: () => void): Promise<void> {
    if (this.abort.signal.aborted) {
      written?.();
      return;
    }
    if (this.stream.write(bytes, written)) return;
    await new Promise<void>((resolve) => (this.drained = resolve));
  }

  finish(error: ConnectError | undefined, body?: Uint8Array): void {
    if (this.abort.signal.aborted) return;
    const status = Object.entries(grpcStatusFields(error, MAX_STATUS_MESSAGE_CHARS));
    if (!this.stream.responded && body === undefined) {
      this.stream.respond([...this.headers(), ...status], true); // trailers-only
    } else {
      this.sendHeaders();
      if (body !== undefined) this.stream.write(body);
      this.stream.end(status);
    }
    this.discardBody(); // a producer whose call was refused may finish sending; its data is dropped
  }

  private headers(): [string, string][] {
    return [
      [":status", "200"],
      ["content-type", this.contentType],
    ];
  }

  private wake(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.();
  }
}
