import type * as net from "node:net";
import { Code } from "@connectrpc/connect";
import { adoptSocketReads } from "./adopt-socket-reads.ts";
import type { ConnectionLimits } from "./connection-limits.ts";
import type { GrpcH2Service } from "./grpc-h2-service.ts";
import { H2cConnection } from "./h2c-connection.ts";
import type { H2cStream } from "./h2c-stream.ts";
import { refusedHostText } from "./host-check.ts";

/** The read buffer of each connection of Iris's own HTTP/2 server (reused for every read). */
const READ_BUFFER_BYTES = 256 * 1024;
/** SETTINGS_MAX_CONCURRENT_STREAMS of Iris's own HTTP/2 server (nghttp2's default too). */
const MAX_STREAMS = 100;

/** What the proxy gives each connection of its own HTTP/2 server. */
export interface OwnH2cServerOptions {
  /** Our stream and connection windows. */
  windowBytes: number;
  /** Our SETTINGS_MAX_FRAME_SIZE. */
  maxFrameBytes: number;
  limits: ConnectionLimits;
  /** The socket that now carries the connection, when it is not the accepted one (the proxy tracks open sockets). */
  track(socket: net.Socket): void;
  /** Whether `Host`/`:authority` names this server (DNS-rebinding defence). */
  allowsHost(host: string | undefined): boolean;
  /** gRPC `WriteMessages`/`ReadMessages`. */
  grpc: GrpcH2Service;
}

/**
 * Serves an h2c connection with Iris's own HTTP/2 server (`H2cConnection`): `socket` has read `first` (the preface
 * and what came with it) and reads nothing more for now (`stopSocketReads`); from here on it reads into one reused
 * buffer, or straight into the messages it carries (`adoptSocketReads`).
 */
export function serveOwnH2c(socket: net.Socket, first: Uint8Array, options: OwnH2cServerOptions): void {
  if (socket.destroyed) return;
  socket.removeAllListeners("error");
  const limits = options.limits;
  const made: { connection?: H2cConnection } = {};
  // What the old socket had read but not emitted, before the connection exists (copied: views of a reused buffer).
  const early: Uint8Array[] = [first];
  const receive = (bytes: Uint8Array): void => {
    if (made.connection === undefined) early.push(bytes.slice());
    else made.connection.receive(bytes);
  };
  const adopted = adoptSocketReads(socket, new Uint8Array(READ_BUFFER_BYTES), receive, {
    target: () => made.connection?.readTarget(),
    filled: (n) => made.connection!.receiveInPlace(n),
  });
  const live = adopted ?? socket;
  if (adopted !== undefined) options.track(adopted);
  const own = new H2cConnection(live, {
    windowBytes: options.windowBytes,
    maxFrameBytes: options.maxFrameBytes,
    maxConcurrentStreams: MAX_STREAMS,
    maxHeaderBytes: limits.maxHeaderBytes,
    idleTimeoutMs: limits.idleTimeoutMs,
    onRequest: (stream, fields) => answer(stream, fields, options),
  });
  made.connection = own;
  for (const bytes of early) own.receive(bytes);
  if (adopted === undefined) {
    socket.on("data", receive);
    socket.resume();
  }
}

/** A request on Iris's own HTTP/2 server: gRPC's hot methods, else a refusal that says why. */
function answer(
  stream: H2cStream,
  fields: readonly (readonly [string, string])[],
  options: OwnH2cServerOptions,
): void {
  const field = (name: string): string | undefined => fields.find(([n]) => n === name)?.[1];
  const text = (status: number, body: string): void => {
    stream.respond([
      [":status", String(status)],
      ["content-type", "text/plain; charset=utf-8"],
    ]);
    stream.write(new TextEncoder().encode(body));
    stream.end();
  };
  const host = field(":authority") ?? field("host");
  if (!options.allowsHost(host)) return text(421, refusedHostText(host));
  if (options.grpc.handleStream(stream, field)) return;
  const contentType = field("content-type") ?? "";
  if (/^application\/grpc/i.test(contentType)) {
    stream.respond(
      [
        [":status", "200"],
        ["content-type", contentType.slice(0, 100)],
        ["grpc-status", String(Code.Unimplemented)],
        [
          "grpc-message",
          encodeURIComponent(
            `${(field(":path") ?? "").slice(0, 200)} is not served over h2c (WriteMessages and ReadMessages are)`,
          ),
        ],
      ],
      true,
    );
    return;
  }
  text(
    404,
    "not found: cleartext HTTP/2 serves gRPC only here; use HTTP/1.1 (iris serve --http2-server node serves all of it over h2c)",
  );
}
