import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { grpcStatus, httpStatusError } from "./grpc-status.ts";
import { WRITE_MESSAGES_HEADERS, WRITE_MESSAGES_PATH, type WriteCall } from "./write-session.ts";
import { WriteSessionBase } from "./write-session-base.ts";

/**
 * A `WriteSession` over Node's `node:http2` client (`GrpcSink`'s `http2Client: "node"`). The message bytes,
 * including the payload views, go to the HTTP/2 stream without being copied or re-serialized in user space;
 * nghttp2 then sends them in DATA frames of 16 KiB. (connect-node serializes each request with `toBinary` and
 * copies it once more into its envelope.)
 */
export class NodeWriteSession extends WriteSessionBase<http2.ClientHttp2Session, NodeWriteCall> {
  protected connect(): http2.ClientHttp2Session {
    const { windowBytes } = this.options;
    const session = http2.connect(this.baseUrl, {
      settings: { initialWindowSize: windowBytes, enablePush: false },
      // Outgoing frames of several MB are queued in the session: nghttp2's default cap (10 MB) is too small.
      maxSessionMemory: 1024,
      ...(this.options.ca !== undefined && { ca: this.options.ca as http2.SecureClientSessionOptions["ca"] }),
    });
    session.on("error", () => undefined); // reported to the calls through their streams
    session.once("connect", () => session.setLocalWindowSize(windowBytes));
    session.once("close", () => this.forget(session));
    session.once("goaway", () => this.forget(session));
    return session;
  }

  protected usable(session: http2.ClientHttp2Session): boolean {
    return !session.closed && !session.destroyed;
  }

  protected call(session: http2.ClientHttp2Session, signal: AbortSignal): NodeWriteCall {
    const stream = session.request(
      { ":method": "POST", ":path": WRITE_MESSAGES_PATH, ...Object.fromEntries(WRITE_MESSAGES_HEADERS) },
      { endStream: false },
    );
    return new NodeWriteCall(stream, signal);
  }

  protected ping(session: http2.ClientHttp2Session): void {
    if (session.destroyed) return;
    const timer = setTimeout(() => session.destroy(), this.options.pingTimeoutMs);
    timer.unref();
    try {
      session.ping(() => clearTimeout(timer));
    } catch {
      clearTimeout(timer);
    }
  }

  protected keepAlive(session: http2.ClientHttp2Session, on: boolean): void {
    if (on) session.ref();
    else session.unref();
  }

  /** Destroying the session fails its open calls' streams. */
  protected closeConnection(session: http2.ClientHttp2Session): void {
    session.destroy();
  }
}

/** One `WriteMessages` call over a `node:http2` stream. */
export class NodeWriteCall implements WriteCall {
  readonly done: Promise<void>;
  private status: ConnectError | null | undefined;
  private httpStatus = 0;
  private resolveDone: () => void = () => undefined;
  private rejectDone: (error: ConnectError) => void = () => undefined;

  constructor(
    private readonly stream: http2.ClientHttp2Stream,
    signal: AbortSignal,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined); // observed by `finish`
    stream.on("response", (headers) => {
      this.httpStatus = Number(headers[":status"] ?? 0);
      // Trailers-only response: the status comes with the headers.
      if (headers["grpc-status"] !== undefined) this.setStatus(headers);
    });
    stream.on("trailers", (trailers) => this.setStatus(trailers));
    stream.resume(); // the response body is an empty WriteMessagesResponse: nothing to keep
    stream.on("error", (error: Error) =>
      this.settle(new ConnectError(`HTTP/2 stream failed: ${error.message}`, Code.Unavailable)),
    );
    stream.on("close", () => this.settle(this.statusAtClose()));
    const onAbort = (): void => {
      this.settle(new ConnectError("the call was cancelled", Code.Canceled));
      stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    void this.done.then(
      () => signal.removeEventListener("abort", onAbort),
      () => signal.removeEventListener("abort", onAbort),
    );
  }

  async write(parts: readonly Uint8Array[]): Promise<void> {
    this.throwIfEnded();
    let full = false;
    for (const part of parts) full = !this.stream.write(part) || full;
    if (!full) return;
    await new Promise<void>((resolve) => {
      const go = (): void => {
        this.stream.removeListener("drain", go);
        resolve();
      };
      this.stream.once("drain", go);
      void this.done.then(go, go);
    });
    this.throwIfEnded();
  }

  async finish(): Promise<void> {
    await this.end();
    await this.done;
  }

  end(): Promise<void> {
    const stream = this.stream;
    if (stream.destroyed || stream.writableFinished) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = (): void => {
        stream.removeListener("finish", go);
        resolve();
      };
      stream.once("finish", go);
      void this.done.then(go, go);
      if (stream.writable) stream.end();
    });
  }

  private throwIfEnded(): void {
    if (this.status !== undefined && this.status !== null) throw this.status;
    if (this.status === null) {
      throw new ConnectError("the server ended the call before the request was complete", Code.Internal);
    }
  }

  private setStatus(headers: http2.IncomingHttpHeaders): void {
    const status = grpcStatus((name) => {
      const value = headers[name];
      return value === undefined ? undefined : String(value);
    });
    if (status === undefined) return;
    this.status ??= status;
    // A refused call ends here; the rest of the request would only be discarded.
    if (status !== null && !this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }

  private statusAtClose(): ConnectError | null {
    if (this.status !== undefined) return this.status;
    if (this.httpStatus !== 0 && this.httpStatus !== 200) {
      return httpStatusError(this.httpStatus);
    }
    const rst = this.stream.rstCode;
    return new ConnectError(
      rst !== undefined && rst !== http2.constants.NGHTTP2_NO_ERROR
        ? `the stream was reset (HTTP/2 error code ${rst})`
        : "the call ended without a grpc-status",
      Code.Unavailable,
    );
  }

  private settle(error: ConnectError | null): void {
    if (this.status === undefined) this.status = error;
    const status = this.status;
    if (status === null) this.resolveDone();
    else if (status !== undefined) this.rejectDone(status);
  }
}
