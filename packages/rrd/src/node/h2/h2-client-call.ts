import { H2Session } from "./h2-session.ts";
import type { H2InPlaceBody, H2Stream, H2StreamEnd } from "./h2-stream.ts";

/** How a call ended: exactly one of these is reported, once. */
export type H2CallEnd = H2StreamEnd;

export interface H2CallHandlers {
  /** A header block of the response: its headers, later its trailers (`endStream` true). */
  headers(fields: readonly [string, string][], endStream: boolean): void;
  /** Response body bytes: a view valid only during the call. */
  data(bytes: Uint8Array): void;
  /** Optional: where body bytes may be read in place (see `H2InPlaceBody`). */
  inPlace?: H2InPlaceBody | undefined;
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

/**
 * One HTTP/2 request over its own connection (an `H2Session` with one stream), its response streamed to
 * `handlers`: the shape of a gRPC server-streaming call. The connection closes when the call ends.
 */
export class H2ClientCall {
  private readonly session: H2Session;
  private readonly stream: H2Stream;
  private over = false;

  constructor(options: H2CallOptions, handlers: H2CallHandlers) {
    this.session = new H2Session(options);
    this.stream = this.session.request(options.path, options.headers, {
      headers: (fields, endStream) => handlers.headers(fields, endStream),
      data: (bytes) => handlers.data(bytes),
      inPlace: handlers.inPlace,
      end: (how) => {
        if (this.over) return;
        this.over = true;
        this.session.close();
        handlers.end(how);
      },
    });
    this.stream.write([options.body]);
    this.stream.end();
  }

  get paused(): boolean {
    return this.stream.paused;
  }

  /** Stops granting flow-control window: the server stops once it has sent what it was granted. */
  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  /** Cancels the call (RST_STREAM CANCEL, GOAWAY) and closes the connection; no handler is called after this. */
  close(): void {
    if (this.over) return;
    this.over = true;
    this.session.close();
  }
}
