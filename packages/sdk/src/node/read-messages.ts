import { fromBinary } from "@bufbuild/protobuf";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type GrpcFrame,
  GrpcFrameDecoder,
  type Lz4Codec,
  Lz4Error,
  lz4,
  type RrdMessage,
  type RrdMessageFromProtoOptions,
  rrdMessageFromProto,
  sdkCommsPb,
} from "@iris/rrd";
import { BlockPool, uninitializedBytes } from "@iris/rrd/node";
import { escapeTerminal } from "@iris/types";
import { LiveError, grpcBaseUrl } from "../proxy-url.ts";
import { type ReadCall, irisH2Call, nodeHttp2Call } from "./read-call.ts";

const READ_MESSAGES_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages";
/** An empty `ReadMessagesRequest` as a gRPC frame: flags 0, length 0. */
const EMPTY_REQUEST_FRAME = new Uint8Array(5);

export interface ReadMessagesOptions {
  /** Ends the iteration (quietly) and closes the connection. */
  signal?: AbortSignal;
  /** Largest message accepted, in bytes (default: the `.rrd` decoder's limit, 512 MiB). */
  maxMessageBytes?: number;
  /** HTTP/2 receive window for the stream and the connection (default 32 MiB: a 1080p frame crosses in one). */
  windowBytes?: number;
  /** Decoded messages held ahead of the consumer before the connection is paused (default 8). */
  bufferedMessages?: number;
  /** Limits and codec for decoding ArrowMsg payloads (LZ4). */
  decode?: RrdMessageFromProtoOptions;
  /**
   * Receive (and decompress) messages into memory that is reused: a yielded message's bytes stay valid only
   * until the next message is asked for. For consumers that count, forward or write each message before taking
   * the next; it spares the page faults and collector work of fresh multi-MB buffers. Default false: messages
   * may be kept.
   */
  reuseMemory?: boolean;
  /**
   * Called with a message that cannot be decoded, which is then skipped; without it the iteration fails with
   * that error (a `LiveError` of kind "protocol" whose `cause` says why).
   */
  onInvalidMessage?: (error: LiveError) => void;
  /**
   * The HTTP/2 client: "iris" (Iris's own, reading the socket into one reused buffer; the default) or "node"
   * (`node:http2`; nghttp2 ends a connection silently when a server breaks the protocol, e.g. with a frame larger
   * than the client allows, which a watch notices within about a second or two of silence and reports as a
   * `LiveError` of kind "protocol").
   */
  http2Client?: "iris" | "node";
  /** For `rerun+https`/`https` proxies: the certificate authorities to trust (PEM; default: Node's). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[];
}

/**
 * Follows a Rerun message proxy (`iris serve`, `rerun --serve`; `rerun+http://host:port/proxy`) with gRPC
 * `ReadMessages` over HTTP/2 and yields its messages as they arrive: first what the proxy holds, then live
 * messages, until the proxy ends the call, the connection fails (a `LiveError`: "unreachable", "status" for a
 * gRPC error status, "protocol" for a malformed response) or `signal` aborts.
 *
 * It speaks HTTP/2 with Iris's own client (`http2Client`; TLS for `https`), which reads the socket into one reused
 * buffer; `node:http2` would allocate 64 KiB per socket read (~6 MB per 1080p frame) and emit an event per
 * 16 KiB DATA frame, which made the collector the largest cost of a reader (docs/live-streaming.md).
 *
 * Each message is received into one buffer of its exact size (one user-space copy of the bytes the socket
 * delivered) that the yielded message views (an uncompressed ArrowMsg's `ipc`, 8-byte aligned); nothing is
 * reused, so messages may be kept.
 */
export async function* readMessages(
  url: string,
  options: ReadMessagesOptions = {},
): AsyncGenerator<RrdMessage, void, undefined> {
  const base = grpcBaseUrl(url);
  const windowBytes = options.windowBytes ?? 32 * 1024 * 1024;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const highWater = Math.max(1, options.bufferedMessages ?? 8);
  const signal = options.signal;
  const client = options.http2Client ?? "iris";
  if (signal?.aborted) return;

  // Each queued message with the memory it views (given back to `pool` once the consumer has moved past it).
  const queue: { message: RrdMessage; memory: Uint8Array[] }[] = [];
  const pool = options.reuseMemory ? new BlockPool(REUSED_BYTES) : undefined;
  const decompressed: Uint8Array[] = [];
  const decodeOptions: RrdMessageFromProtoOptions | undefined =
    pool === undefined
      ? options.decode
      : { ...options.decode, lz4: reusingLz4(options.decode?.lz4 ?? lz4, pool, decompressed) };
  let failure: LiveError | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (error: LiveError): void => {
    failure ??= error;
    notify();
  };

  const onAbort = (): void => {
    ended = true;
    notify();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  let status: string | undefined;
  const decoder = new GrpcFrameDecoder(
    maxMessageBytes,
    (bytes) =>
      new LiveError(
        "protocol",
        `ReadMessages sent a message of ${bytes} bytes, more than the limit of ${maxMessageBytes} (maxMessageBytes)`,
      ),
    undefined,
    pool === undefined ? uninitializedBytes : (bytes, pad) => pool.acquire(bytes, pad),
  );
  const takeStatus = (get: (name: string) => string | undefined): void => {
    const code = get("grpc-status");
    if (code === undefined) return;
    status = code;
    if (status !== "0") {
      // The server's text, defused: control characters (terminal escapes) are shown as \x1b, not passed on;
      // the status too, which a hostile server fills as it likes (found by fuzz/fuzz-h2.ts).
      const text = escapeTerminal(decodeURIComponentSafe(get("grpc-message") ?? ""));
      fail(
        new LiveError(
          "status",
          `ReadMessages on ${base} ended with gRPC status ${escapeTerminal(status)}${text ? `: ${text}` : ""}`,
        ),
      );
    }
  };
  const frames: GrpcFrame[] = []; // the messages a chunk completed (emptied for each chunk)
  // Queues the messages in `frames` for the consumer, then fails with `tooLarge` (what stopped the chunk), if any.
  const take = (tooLarge: LiveError | undefined): void => {
    for (const frame of frames) {
      // The pooled block the message was received into (the frame views it, past the alignment padding).
      const memory: Uint8Array[] = pool === undefined ? [] : [frame.frame];
      decompressed.length = 0;
      const message = decodeFrame(frame, base, decodeOptions);
      memory.push(...decompressed);
      if (message instanceof LiveError) {
        for (const m of memory) pool?.release(m);
        if (options.onInvalidMessage === undefined || frame.compressed) {
          fail(message);
          return;
        }
        options.onInvalidMessage(message);
        continue;
      }
      queue.push({ message, memory });
    }
    if (tooLarge !== undefined) fail(tooLarge);
    if (queue.length >= highWater) call.pause();
    notify();
  };
  const call: ReadCall = (client === "iris" ? irisH2Call : nodeHttp2Call)(
    {
      base,
      path: READ_MESSAGES_PATH,
      headers: [
        ["content-type", "application/grpc"],
        ["te", "trailers"],
      ],
      body: EMPTY_REQUEST_FRAME,
      windowBytes,
      ca: options.ca,
    },
    {
      headers(get, trailers) {
        if (!trailers) {
          const httpStatus = get(":status");
          const contentType = get("content-type") ?? "";
          if (httpStatus !== "200") {
            fail(
              new LiveError(
                "protocol",
                `ReadMessages on ${base}: expected HTTP status 200, got ${escapeTerminal(String(httpStatus))}`,
              ),
            );
          } else if (get("grpc-status") === undefined && !/^application\/grpc/i.test(contentType)) {
            fail(
              new LiveError(
                "protocol",
                `ReadMessages on ${base}: expected content-type application/grpc, got ${escapeTerminal(JSON.stringify(contentType))}`,
              ),
            );
          }
        }
        takeStatus(get); // trailers, or a trailers-only response
      },
      data(chunk) {
        if (failure !== undefined || ended) return;
        frames.length = 0;
        let tooLarge: LiveError | undefined;
        try {
          decoder.push(chunk, frames);
        } catch (error) {
          tooLarge = error as LiveError; // after the messages that this chunk completed before it
        }
        take(tooLarge);
      },
      // A message's body read straight into its buffer (Iris's own client): no copy out of the read buffer.
      inPlace: {
        target: (maxBytes) => (failure !== undefined || ended ? undefined : decoder.target(maxBytes)),
        filled(n) {
          frames.length = 0;
          decoder.filled(n, frames);
          take(undefined);
        },
      },
      end() {
        if (!decoder.atBoundary) {
          fail(new LiveError("protocol", `ReadMessages on ${base}: the response ended inside a message`));
        }
      },
      closed(detail) {
        if (status === undefined && !ended) {
          fail(
            new LiveError(
              "protocol",
              `ReadMessages on ${base} ended without a gRPC status${detail === undefined ? "" : ` (${detail})`}`,
            ),
          );
        }
        ended = true;
        notify();
      },
      error: fail,
    },
  );

  try {
    for (;;) {
      if (signal?.aborted) return;
      const next = queue.shift();
      if (next !== undefined) {
        if (queue.length < highWater / 2 && call.paused) call.resume();
        yield next.message;
        for (const m of next.memory) pool?.release(m);
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    decoder.dispose();
    call.close();
  }
}

/** The message in one gRPC frame, or the error that says why there is none. */
function decodeFrame(
  frame: GrpcFrame,
  base: string,
  decode: RrdMessageFromProtoOptions | undefined,
): RrdMessage | LiveError {
  if (frame.compressed) {
    return new LiveError(
      "protocol",
      `ReadMessages on ${base} sent a compressed message, but no grpc-encoding was agreed`,
    );
  }
  try {
    const response = fromBinary(sdkCommsPb.ReadMessagesResponseSchema, frame.bytes);
    return rrdMessageFromProto(response.logMsg?.msg ?? { case: undefined }, decode);
  } catch (cause) {
    // The decoder's text may quote the server's strings (a recording id): shown escaped, like every server text.
    const detail = escapeTerminal(cause instanceof Error ? cause.message : String(cause));
    return new LiveError("protocol", `ReadMessages on ${base} sent an undecodable message: ${detail}`, {
      cause,
    });
  }
}

/** Memory kept for reuse with `reuseMemory`: a few 1080p frames and their decompressed payloads. */
const REUSED_BYTES = 256 * 1024 * 1024;

/** `codec`, decompressing into `pool` memory, each block of which is also pushed to `taken`. */
function reusingLz4(codec: Lz4Codec, pool: BlockPool, taken: Uint8Array[]): Lz4Codec {
  const into = codec.decompressBlockInto ?? lz4.decompressBlockInto;
  return {
    compressBlock: (src) => codec.compressBlock(src),
    decompressBlockInto: into,
    decompressBlock(src, uncompressedSize) {
      const out = pool.acquire(uncompressedSize);
      taken.push(out);
      const written = into(src, out);
      if (written !== uncompressedSize) {
        throw new Lz4Error(
          "size-mismatch",
          `LZ4 block decoded to ${written} bytes, expected ${uncompressedSize} (input ${src.length} bytes)`,
        );
      }
      return out;
    },
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
