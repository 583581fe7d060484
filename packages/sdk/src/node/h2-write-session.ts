import { Code, ConnectError } from "@connectrpc/connect";
import { grpcStatus, httpStatusError } from "./grpc-status.ts";
import {
  ErrorCode,
  H2Session,
  type H2Stream,
  type H2StreamEnd,
  errorCodeName,
  sessionTarget,
} from "@iris/rrd/node";
import { WRITE_MESSAGES_HEADERS, WRITE_MESSAGES_PATH, type WriteCall } from "./write-session.ts";
import { WriteSessionBase } from "./write-session-base.ts";

/**
 * A `WriteSession` over Iris's own HTTP/2 client (`H2Session`), `GrpcSink`'s default: request frames go to the
 * socket as the views they are given, in DATA frames as large as the server allows (up to 1 MiB), so a 1080p frame
 * costs the server a handful of frames instead of nghttp2's 16 KiB ones.
 */
export class H2WriteSession extends WriteSessionBase<H2Session, H2WriteCall> {
  protected connect(): H2Session {
    return new H2Session({
      ...sessionTarget(this.baseUrl, this.options.ca),
      windowBytes: this.options.windowBytes,
    });
  }

  protected usable(session: H2Session): boolean {
    return !session.closed;
  }

  protected call(session: H2Session, signal: AbortSignal): H2WriteCall {
    return new H2WriteCall(session, signal);
  }

  protected ping(session: H2Session): void {
    session.ping(this.options.pingTimeoutMs);
  }

  protected keepAlive(session: H2Session, on: boolean): void {
    if (on) session.ref();
    else session.unref();
  }

  protected closeConnection(session: H2Session, calls: readonly H2WriteCall[]): void {
    for (const call of calls) call.cancel("the connection was closed");
    session.close();
  }
}

/** One `WriteMessages` call on an `H2Session` stream. */
class H2WriteCall implements WriteCall {
  readonly done: Promise<void>;
  private readonly stream: H2Stream;
  /** undefined: not known yet; null: OK; else the call's error. */
  private status: ConnectError | null | undefined;
  private httpStatus = 0;
  private resolveDone: () => void = () => undefined;
  private rejectDone: (error: ConnectError) => void = () => undefined;

  constructor(session: H2Session, signal: AbortSignal) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined); // observed by `finish` or the sink
    this.stream = session.request(WRITE_MESSAGES_PATH, WRITE_MESSAGES_HEADERS, {
      headers: (fields, endStream) => {
        const get = (name: string): string | undefined => fields.find(([n]) => n === name)?.[1];
        if (this.httpStatus === 0) this.httpStatus = Number(get(":status") ?? 0);
        const status = grpcStatus(get);
        if (status === undefined) return;
        this.status ??= status;
        // A refused call ends here; the rest of the request would only be discarded. Trailers end the stream
        // themselves (the session cancels a request not sent in full): a reset of a closed stream breaks HTTP/2.
        if (status !== null) {
          this.settle(status);
          if (!endStream) this.stream.reset(ErrorCode.CANCEL);
        }
      },
      data: () => undefined, // an empty WriteMessagesResponse: nothing to keep
      end: (how) => this.settle(this.statusAtEnd(how)),
    });
    const onAbort = (): void => this.cancel("the call was cancelled");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    const forget = (): void => signal.removeEventListener("abort", onAbort);
    void this.done.then(forget, forget);
  }

  async write(parts: readonly Uint8Array[]): Promise<void> {
    this.throwIfEnded();
    if (this.stream.write(parts)) return;
    await this.stream.drained();
    this.throwIfEnded();
  }

  async finish(): Promise<void> {
    await this.end();
    await this.done;
  }

  end(): Promise<void> {
    this.stream.end();
    return this.stream.drained();
  }

  /** Ends the call with `Code.Canceled` (RST_STREAM CANCEL to the server). */
  cancel(why: string): void {
    this.settle(new ConnectError(why, Code.Canceled));
    this.stream.reset(ErrorCode.CANCEL);
  }

  private throwIfEnded(): void {
    if (this.status !== undefined && this.status !== null) throw this.status;
    if (this.status === null) {
      throw new ConnectError("the server ended the call before the request was complete", Code.Internal);
    }
  }

  private statusAtEnd(how: H2StreamEnd): ConnectError | null {
    switch (how.kind) {
      case "ended":
        if (this.status !== undefined) return this.status;
        if (this.httpStatus !== 200) return httpStatusError(this.httpStatus);
        return new ConnectError("the call ended without a grpc-status", Code.Unavailable);
      case "reset":
        return new ConnectError(
          `the server reset the stream (RST_STREAM ${errorCodeName(how.code)})`,
          Code.Unavailable,
        );
      case "closed":
        return new ConnectError(
          how.goaway === undefined
            ? "the connection closed before the call ended"
            : `the server closed the connection before the call ended (GOAWAY ${errorCodeName(how.goaway.code)}` +
                (how.goaway.debug ? ` "${how.goaway.debug}")` : ")"),
          Code.Unavailable,
        );
      case "violation":
        return new ConnectError(
          `the server broke HTTP/2: ${how.error.message}`,
          Code.Internal,
          undefined,
          undefined,
          how.error,
        );
      case "socket":
        return new ConnectError(
          `HTTP/2 connection failed: ${how.error.message}`,
          Code.Unavailable,
          undefined,
          undefined,
          how.error,
        );
    }
  }

  private settle(error: ConnectError | null): void {
    if (this.status === undefined) this.status = error;
    const status = this.status;
    if (status === null) this.resolveDone();
    else this.rejectDone(status);
  }
}
