import { type RrdMessage, encodeRrd, storeKey } from "@iris/rrd";
import { getDefaultRecording } from "../default-recording.ts";
import type { RecordingStream } from "../recording-stream.ts";
import type { LogSink } from "../sinks/log-sink.ts";

/** What an in-page Iris viewer offers (`IrisViewer` from `@iris/viewer` has it). */
export interface InPageViewer {
  pushMessage(message: RrdMessage): void;
}

/** Feeds an Iris viewer in the same page directly, message by message (no encoding, no network). */
export class InPageViewerSink implements LogSink {
  constructor(private readonly viewer: InPageViewer) {}
  send(message: RrdMessage): void {
    this.viewer.pushMessage(message);
  }
  flush(): void {}
  close(): void {}
}

/** `rec.toViewer(viewer)`: the recording (what was logged so far, then live) shows in `viewer`. */
export function toViewer(viewer: InPageViewer, recording?: RecordingStream): InPageViewerSink {
  const sink = new InPageViewerSink(viewer);
  (recording ?? getDefaultRecording()).setSink(sink);
  return sink;
}

/** The parts of `@rerun-io/web-viewer`'s `LogChannel` this sink uses. */
export interface RerunLogChannel {
  readonly ready: boolean;
  send_rrd(bytes: Uint8Array): void;
  close(): void;
}

/** The parts of `@rerun-io/web-viewer`'s `WebViewer` this sink uses. */
export interface RerunWebViewerLike {
  open_channel(name?: string): RerunLogChannel;
}

export interface RerunWebViewerSinkOptions {
  /** Channel name shown as the data source; default "iris". */
  channelName?: string;
  /** Messages wait at most this long before being sent (batched into one `send_rrd`); default 50 ms. */
  batchMs?: number;
  /** Messages waiting (e.g. the viewer is not ready yet) are capped; the oldest data is dropped. Default 256 MiB. */
  maxQueueBytes?: number;
}

/**
 * Feeds the real Rerun web viewer in the page through `open_channel().send_rrd(bytes)`. Every call is a
 * complete `.rrd` stream (stream header, the recording's SetStoreInfo, then the batched ArrowMsgs), because the
 * viewer decodes each call with a fresh decoder (rrd-format.md §6.2). While the channel is not ready, messages
 * wait in a bounded queue.
 */
export class RerunWebViewerSink implements LogSink {
  private readonly channel: RerunLogChannel;
  private readonly options: RerunWebViewerSinkOptions;
  private readonly storeInfos = new Map<string, RrdMessage>();
  private queue: RrdMessage[] = [];
  private queuedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  droppedMessages = 0;
  sentCalls = 0;

  constructor(viewer: RerunWebViewerLike, options: RerunWebViewerSinkOptions = {}) {
    this.options = options;
    this.channel = viewer.open_channel(options.channelName ?? "iris");
  }

  send(message: RrdMessage): void {
    if (message.kind === "setStoreInfo") {
      const id = message.storeId;
      this.storeInfos.set(storeKey(id), message);
      return;
    }
    this.queue.push(message);
    this.queuedBytes += message.kind === "arrowMsg" ? message.ipc.byteLength : 0;
    const max = this.options.maxQueueBytes ?? 256 * 1024 ** 2;
    while (this.queuedBytes > max && this.queue.length > 1) {
      const victim = this.queue.shift()!;
      this.queuedBytes -= victim.kind === "arrowMsg" ? victim.ipc.byteLength : 0;
      this.droppedMessages++;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.batchMs ?? 50);
  }

  /** Sends everything queued as one complete stream (if the channel is ready; otherwise retried later). */
  flush(): void {
    if (this.queue.length === 0) return;
    if (!this.channel.ready) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, 200);
      return;
    }
    const messages = [...this.storeInfos.values(), ...this.queue];
    this.queue = [];
    this.queuedBytes = 0;
    this.channel.send_rrd(encodeRrd(messages));
    this.sentCalls++;
  }

  close(): void {
    this.flush();
    clearTimeout(this.timer);
    this.channel.close();
  }
}

/** Streams the recording into a `@rerun-io/web-viewer` `WebViewer` in the page (what was logged so far first). */
export function toRerunWebViewer(
  viewer: RerunWebViewerLike,
  recording?: RecordingStream,
  options: RerunWebViewerSinkOptions = {},
): RerunWebViewerSink {
  const sink = new RerunWebViewerSink(viewer, options);
  (recording ?? getDefaultRecording()).setSink(sink);
  return sink;
}
