import * as http2 from "node:http2";
import { LiveError } from "../proxy-url.ts";
import {
  H2ClientCall,
  type H2CallEnd,
  type H2InPlaceBody,
  errorCodeName,
  sessionTarget,
} from "@iris/rrd/node";
import { watchNodeH2Stall } from "./watch-node-h2-stall.ts";

/** The HTTP/2 call under `readMessages`, whichever client carries it. */
export interface ReadCall {
  readonly paused: boolean;
  /** Holds the response back (flow control) until `resume()`. */
  pause(): void;
  resume(): void;
  /** Cancels the call and closes its connection; no event follows. */
  close(): void;
}

/** What a `ReadCall` reports, in this order: headers, data…, trailers, end, closed; `error` at any point. */
export interface ReadCallEvents {
  /** The response headers (`trailers` false), then the trailers; `get` looks a lower-case name up. */
  headers(get: (name: string) => string | undefined, trailers: boolean): void;
  /** Body bytes, valid only during the call. */
  data(chunk: Uint8Array): void;
  /** Optional: where body bytes may be read in place (Iris's own client only; `node:http2` ignores it). */
  inPlace?: H2InPlaceBody | undefined;
  /** The response ended normally (END_STREAM). */
  end(): void;
  /** The call is over; `detail` says how when it did not end normally (a reset, a closed connection). */
  closed(detail: string | undefined): void;
  error(error: LiveError): void;
}

export interface ReadCallRequest {
  /** `http://host:port` or `https://host:port`. */
  base: string;
  path: string;
  headers: readonly (readonly [string, string])[];
  body: Uint8Array;
  windowBytes: number;
  /** For https: the certificate authorities to trust (default: Node's). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
}

/** A call over Node's `node:http2` client (when asked for). */
export function nodeHttp2Call(request: ReadCallRequest, events: ReadCallEvents): ReadCall {
  const { base, windowBytes } = request;
  const session = http2.connect(base, {
    settings: { initialWindowSize: windowBytes, enablePush: false },
    ...(request.ca !== undefined && { ca: request.ca as http2.SecureClientSessionOptions["ca"] }),
  });
  session.once("connect", () => session.setLocalWindowSize(windowBytes));
  session.on("error", (error: Error) =>
    events.error(
      new LiveError("unreachable", `cannot read from ${base}: ${error.message}`, { cause: error }),
    ),
  );
  const stream = session.request({
    ":method": "POST",
    ":path": request.path,
    ...Object.fromEntries(request.headers),
  });
  stream.end(request.body);
  const getter =
    (headers: http2.IncomingHttpHeaders) =>
    (name: string): string | undefined => {
      const value = headers[name];
      return value === undefined ? undefined : String(value);
    };
  let closed = false;
  // nghttp2 ends a session on some violations (a frame over our SETTINGS_MAX_FRAME_SIZE) without any event.
  const watch = watchNodeH2Stall(session, () => {
    if (closed) return;
    const maxFrameBytes = session.localSettings.maxFrameSize ?? 16_384;
    events.error(
      new LiveError(
        "protocol",
        `${request.path} on ${base}: node:http2 stopped reading the connection without reporting an error, ` +
          `as nghttp2 does when the server breaks the protocol (e.g. a frame larger than the ` +
          `SETTINGS_MAX_FRAME_SIZE of ${maxFrameBytes} bytes the client allows); connection closed`,
      ),
    );
    session.destroy();
  });
  stream.on("response", (headers) => {
    watch.activity();
    events.headers(getter(headers), false);
  });
  stream.on("trailers", (headers) => {
    watch.activity();
    events.headers(getter(headers), true);
  });
  stream.on("data", (chunk: Uint8Array) => {
    watch.activity();
    events.data(chunk);
  });
  stream.on("end", () => events.end());
  stream.on("close", () => {
    watch.stop();
    if (closed) return;
    const code = stream.rstCode;
    events.closed(
      code !== undefined && code !== http2.constants.NGHTTP2_NO_ERROR
        ? `stream reset, code ${errorCodeName(code)}`
        : undefined,
    );
  });
  stream.on("error", (error: Error) =>
    events.error(
      new LiveError("unreachable", `${request.path} on ${base} failed: ${error.message}`, { cause: error }),
    ),
  );
  return {
    get paused() {
      return stream.isPaused();
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close() {
      closed = true;
      watch.stop();
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
      session.close();
    },
  };
}

/** A call over Iris's own HTTP/2 client (`http://`: cleartext, `https://`: TLS with ALPN "h2"). */
export function irisH2Call(request: ReadCallRequest, events: ReadCallEvents): ReadCall {
  let responded = false;
  const end = (how: H2CallEnd): void => {
    switch (how.kind) {
      case "ended":
        events.end();
        return events.closed(undefined);
      case "reset":
      case "closed": {
        // A call that the server or the network cut short: worth retrying, as for a failed connection.
        const why =
          how.kind === "reset"
            ? `the server reset the stream (RST_STREAM ${errorCodeName(how.code)})`
            : how.goaway === undefined
              ? "the connection closed before the response ended"
              : `the server closed the connection before the response ended (GOAWAY ${errorCodeName(how.goaway.code)}` +
                (how.goaway.debug ? ` "${how.goaway.debug}")` : ")");
        events.error(new LiveError("unreachable", `${request.path} on ${request.base}: ${why}`));
        return events.closed(undefined);
      }
      case "violation":
        events.error(
          new LiveError("protocol", `${request.path} on ${request.base}: ${how.error.message}`, {
            cause: how.error,
          }),
        );
        return events.closed(undefined);
      case "socket":
        events.error(
          new LiveError("unreachable", `cannot read from ${request.base}: ${how.error.message}`, {
            cause: how.error,
          }),
        );
        return events.closed(undefined);
    }
  };
  return new H2ClientCall(
    {
      ...sessionTarget(request.base, request.ca),
      path: request.path,
      headers: request.headers,
      body: request.body,
      windowBytes: request.windowBytes,
    },
    {
      headers(fields) {
        const map = new Map(fields);
        const trailers = responded;
        responded = true;
        events.headers((name) => map.get(name), trailers);
      },
      data: (bytes) => events.data(bytes),
      inPlace: events.inPlace,
      end,
    },
  );
}
