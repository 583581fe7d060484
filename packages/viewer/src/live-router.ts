import type { RrdMessage } from "@iris/rrd";
import { LiveSource } from "./live-source.ts";
import type { Recording } from "./recording.ts";

/** What the router needs from its viewer. */
export interface LiveRouterHost {
  /** Creates (and lists) a new live recording. */
  addLiveRecording(name: string, source: string): Recording;
  /** A live source's connection status changed ("live …" when connected). */
  status(text: string): void;
  warn(text: string): void;
}

/**
 * Live data into recordings: each followed message proxy and the in-page producer route their messages to one
 * recording per recording id (blueprint stores are not shown); the first recording of a source exists at once.
 */
export class LiveRouter {
  private readonly sources: LiveSource[] = [];
  private page: { map: Map<string, Recording>; first: Recording | undefined } | undefined;

  constructor(private readonly host: LiveRouterHost) {}

  /** Follows a Rerun message proxy URL; returns the source's first recording. */
  openLive(url: string): Recording {
    const recordings = new Map<string, Recording>();
    const first = this.host.addLiveRecording(`live ${url.replace(/^rerun\+?[a-z]*:\/\//i, "")}`, url);
    const source = new LiveSource(url, {
      message: (m) => this.route(m, recordings, first, url),
      status: (text) => this.host.status(text),
      warning: (text) => this.host.warn(text),
    });
    this.sources.push(source);
    source.start();
    return first;
  }

  /** Feeds one message from a producer in the same page. */
  pushMessage(message: RrdMessage): void {
    this.page ??= { map: new Map(), first: undefined };
    const page = this.page;
    page.first ??= this.host.addLiveRecording("in-page recording", "this page");
    this.route(message, page.map, page.first, "this page");
  }

  /** Stops following every source. */
  stop(): void {
    for (const source of this.sources) source.stop();
  }

  private route(message: RrdMessage, byId: Map<string, Recording>, first: Recording, source: string): void {
    const storeId = message.kind === "blueprintActivation" ? message.blueprintId : message.storeId;
    if (storeId.kind === "blueprint") return;
    let recording = byId.get(storeId.recordingId);
    if (!recording) {
      recording =
        byId.size === 0
          ? first
          : this.host.addLiveRecording(`live ${storeId.recordingId} (${source})`, source);
      byId.set(storeId.recordingId, recording);
    }
    recording.pushMessage(message);
  }
}
