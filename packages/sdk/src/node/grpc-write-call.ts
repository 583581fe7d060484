import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { escapeTerminal } from "@iris/types";

const WRITE_MESSAGES_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages";

export interface GrpcWriteSessionOptions {
  /** HTTP/2 flow-control window asked of the server for its responses (stream and session). */
  windowBytes: number;
  /** How long an unused connection stays open, in ms. */
  idleTimeoutMs: number;
  /** Ping the server this often while a call is open; a ping unanswered within `pingTimeoutMs` drops the connection. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

/**
 * One HTTP/2 connection to a gRPC `MessageProxyService` carrying client-streaming `WriteMessages` calls whose
 * request frames are written as given (`WriteCall.write`): the message bytes, including the payload views, go to
 * the HTTP/2 stream without being copied or re-serialized in user space. (connect-node serializes each request with
 * `toBinary` and copies it once more into its envelope.) The wire format is the same gRPC: `application/grpc`,
 * length-prefixed messages, `grpc-status` in the trailers.
 */
export class GrpcWriteSession {
  private session: http2.ClientHttp2Session | undefined;
  private openCalls = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly options: GrpcWriteSessionOptions,
  ) {}

  /** Starts a `WriteMessages` call (connecting first if needed). */
  open(signal: AbortSignal): WriteCall {
    const session = this.connect();
    clearTimeout(this.idleTimer);
    this.openCalls++;
    session.ref();
    const stream = session.request(
      {
        ":method": "POST",
        ":path": WRITE_MESSAGES_PATH,
        "content-type": "application/grpc+proto",
        te: "trailers",
        "user-agent": "iris-sdk",
      },
      { endStream: false },
    );
    const call = new WriteCall(stream, signal);
    void call.done.then(
      () => this.callEnded(session),
      () => this.callEnded(session),
    );
    return call;
  }

  /** Closes the connection (open calls are cancelled). */
  close(): void {
    clearTimeout(this.idleTimer);
    clearInterval(this.pingTimer);
    this.session?.destroy();
    this.session = undefined;
  }

  private callEnded(session: http2.ClientHttp2Session): void {
    this.openCalls--;
    if (this.openCalls > 0 || session !== this.session) return;
    // Idle: let the process exit, and close the connection after a while.
    session.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.openCalls === 0 && this.session === session) this.close();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private connect(): http2.ClientHttp2Session {
    const current = this.session;
    if (current !== undefined && !current.closed && !current.destroyed) return current;
    const { windowBytes } = this.options;
    const session = http2.connect(this.baseUrl, {
      settings: { initialWindowSize: windowBytes, enablePush: false },
      // Outgoing frames of several MB are queued in the session: nghttp2's default cap (10 MB) is too small.
      maxSessionMemory: 1024,
    });
    session.on("error", () => undefined); // reported to the calls through their streams
    session.once("connect", () => session.setLocalWindowSize(windowBytes));
    const forget = (): void => {
      if (this.session === session) {
        this.session = undefined;
        clearInterval(this.pingTimer);
      }
    };
    session.once("close", forget);
    session.once("goaway", forget);
    this.session = session;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(session), this.options.pingIntervalMs);
    this.pingTimer.unref();
    return session;
  }

  private ping(session: http2.ClientHttp2Session): void {
    if (this.openCalls === 0 || session.destroyed) return;
    const timer = setTimeout(() => session.destroy(), this.options.pingTimeoutMs);
    timer.unref();
    try {
      session.ping(() => clearTimeout(timer));
    } catch {
      clearTimeout(timer);
    }
  }
}

/**
 * One `WriteMessages` call: `write` the request frames (as parts), then `finish` to end the request and get the
 * status. `done` settles when the call is over (OK, error, or cancelled).
 */
export class WriteCall {
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

  /**
   * Writes one request frame given as parts, and waits while the stream's buffer is full (HTTP/2 flow control,
   * TCP back-pressure). Throws the call's error if it has ended.
   */
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

  /** Ends the request and waits for the status: resolves on OK, throws a `ConnectError` otherwise. */
  async finish(): Promise<void> {
    await this.end();
    await this.done;
  }

  /**
   * Ends the request and resolves once its last bytes were handed to the connection (or the call is over),
   * without waiting for the server's status (`done`). A call opened on the same connection after this writes
   * its DATA frames behind all of this call's, so the server receives the two requests' messages in order.
   */
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
    const code = Number(headers["grpc-status"]);
    if (code === 0) {
      this.status ??= null;
      return;
    }
    let message = String(headers["grpc-message"] ?? "");
    try {
      message = decodeURIComponent(message);
    } catch {
      // not percent-encoded: keep as is
    }
    this.status ??= new ConnectError(
      escapeTerminal(message), // the server's text: no terminal escapes passed on
      Number.isInteger(code) && code > 0 && code <= 16 ? code : Code.Unknown,
    );
    // A refused call ends here; the rest of the request would only be discarded.
    if (!this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }

  private statusAtClose(): ConnectError | null {
    if (this.status !== undefined) return this.status;
    if (this.httpStatus !== 0 && this.httpStatus !== 200) {
      return new ConnectError(`HTTP status ${this.httpStatus}`, codeOfHttpStatus(this.httpStatus));
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

/** gRPC's mapping of HTTP statuses when a response carries no grpc-status (doc/http-grpc-status-mapping.md). */
function codeOfHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.Internal;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.Unavailable;
    default:
      return Code.Unknown;
  }
}
