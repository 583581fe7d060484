// Helpers for the live-streaming tests: a gRPC (or gRPC-web) ReadMessages reader and image extraction.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { chunkFromIpc } from "@iris/chunk";
import {
  type ArrowMsgMessage,
  type RrdMessage,
  rrdMessageFromProto,
  rrdMessageToProto,
  sdkCommsPb,
} from "@iris/rrd";
import { Image, MemorySink, RecordingStream } from "@iris/sdk";
import { ImageBufferType } from "@iris/types";
import { ProxyServer } from "@iris/server";
import { createServer } from "node:net";
import { afterEach } from "vitest";

/**
 * Per-test cleanup for live tests: functions pushed to `cleanup` run in reverse order after each test;
 * `startServer` starts a ProxyServer on a free port that is closed then.
 */
export function liveTestContext(): {
  cleanup: (() => unknown)[];
  startServer(options?: ConstructorParameters<typeof ProxyServer>[0]): Promise<ProxyServer>;
} {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  return {
    cleanup,
    async startServer(options = {}) {
      const server = new ProxyServer({ port: 0, ...options });
      await server.listen();
      cleanup.push(() => server.close());
      return server;
    },
  };
}

export interface Reader {
  readonly messages: RrdMessage[];
  /** Set when the stream ended with an error. */
  error: Error | undefined;
  ended: boolean;
  stop(): void;
  waitFor(predicate: (messages: readonly RrdMessage[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Calls ReadMessages on `baseUrl` (http://host:port) over gRPC (h2c) or gRPC-web (HTTP/1.1). */
export function startReader(baseUrl: string, protocol: "grpc" | "grpc-web" = "grpc"): Reader {
  const transport =
    protocol === "grpc"
      ? createGrpcTransport({ baseUrl, readMaxBytes: 512 * 1024 ** 2 })
      : createGrpcWebTransport({ baseUrl, httpVersion: "1.1", readMaxBytes: 512 * 1024 ** 2 });
  const client = createClient(sdkCommsPb.MessageProxyService, transport);
  const abort = new AbortController();
  const reader: Reader = {
    messages: [],
    error: undefined,
    ended: false,
    stop: () => abort.abort(),
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(reader.messages)) {
        if (reader.error) throw reader.error;
        if (Date.now() > deadline) {
          throw new Error(
            `reader: condition not met after ${timeoutMs} ms (${reader.messages.length} messages)`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  void (async () => {
    try {
      for await (const response of client.readMessages({}, { signal: abort.signal })) {
        reader.messages.push(rrdMessageFromProto(response.logMsg!.msg));
      }
    } catch (error) {
      if (!abort.signal.aborted) reader.error = error as Error;
    } finally {
      reader.ended = true;
    }
  })();
  return reader;
}

export interface LoggedImage {
  entityPath: string;
  /** Value of the `time` (or given) timeline, when present. */
  time: bigint | undefined;
  pixels: Uint8Array;
}

/** Every image row (Image:buffer) in the ArrowMsgs of `messages`, in order. */
export function imagesOf(messages: readonly RrdMessage[], timeline = "time"): LoggedImage[] {
  const out: LoggedImage[] = [];
  for (const m of messages.filter((x): x is ArrowMsgMessage => x.kind === "arrowMsg")) {
    const chunk = chunkFromIpc(m.ipc);
    for (let row = 0; row < chunk.numRows; row++) {
      const buffer = chunk.componentValues("Image:buffer", row, ImageBufferType);
      if (!buffer?.[0]) continue;
      const times = chunk.timelines.get(timeline);
      out.push({ entityPath: chunk.entityPath, time: times?.times[row], pixels: buffer[0] });
    }
  }
  return out;
}

/**
 * The LogMsgs of a recording with one `side`×`side` L8 image (and no recording properties): noise sent raw, or
 * zeros LZ4-compressed.
 */
export function recordingMessages(
  recordingId: string,
  side: number,
  compression: "lz4" | "none" = "none",
): sdkCommsPb.WriteMessagesRequest[] {
  const sink = new MemorySink();
  // Without the recording properties: exactly SetStoreInfo + the one image message.
  const rec = new RecordingStream({ applicationId: "live-test", recordingId, sink, sendProperties: false });
  const pixels = new Uint8Array(side * side);
  let x = 12345;
  for (let i = 0; compression === "none" && i < pixels.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    pixels[i] = x >>> 24;
  }
  rec.log("image", new Image(pixels, { width: side, height: side }));
  rec.close();
  return sink.messages.map((m) => ({
    $typeName: "rerun.sdk_comms.v1alpha1.WriteMessagesRequest",
    logMsg: { $typeName: "rerun.log_msg.v1alpha1.LogMsg", msg: rrdMessageToProto(m, { compression }) },
  }));
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers that must be restarted on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
