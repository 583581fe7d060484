import { H2Error } from "./h2-error.ts";
import { MAX_WINDOW_BYTES } from "./h2-frame.ts";
import type { H2Stream } from "./h2-stream.ts";

/** Streams remembered after they ended, to tell a late frame on them from one on a stream never opened. */
const REMEMBERED_CLOSED_STREAMS = 256;

/**
 * An `H2Session`'s streams: the live ones by id, in the order they were opened (odd ids, RFC 9113 §5.1.1), and
 * how recent ones ended, so that a frame on a stream can be judged: live, never opened (a violation), ended by the
 * server (a later frame is a violation, STREAM_CLOSED) or reset by us (late frames are dropped).
 */
export class H2StreamTable {
  private readonly live = new Map<number, H2Stream>();
  private readonly ended = new Map<number, "remote" | "local">();
  /** The id the next stream gets. */
  nextId = 1;

  get size(): number {
    return this.live.size;
  }

  get(id: number): H2Stream | undefined {
    return this.live.get(id);
  }

  values(): IterableIterator<H2Stream> {
    return this.live.values();
  }

  /** Whether the stream ids are used up (a new connection is needed). */
  get exhausted(): boolean {
    return this.nextId > MAX_WINDOW_BYTES;
  }

  add(stream: H2Stream): void {
    this.live.set(stream.id, stream);
    this.nextId = stream.id + 2;
  }

  /** Removes `stream`: "remote" when the server ended it, "local" when we reset it (or dropped it). */
  forget(stream: H2Stream, how: "remote" | "local"): void {
    this.live.delete(stream.id);
    this.ended.set(stream.id, how);
    if (this.ended.size > REMEMBERED_CLOSED_STREAMS) this.ended.delete(this.ended.keys().next().value!);
  }

  /** Removes every live stream and returns them. */
  clear(): H2Stream[] {
    const streams = [...this.live.values()];
    this.live.clear();
    return streams;
  }

  /** Throws unless `id` names a stream we opened (a frame about an idle stream breaks HTTP/2). */
  expectOpened(frame: string, id: number): void {
    if (id === 0 || id % 2 === 0 || id >= this.nextId) {
      throw new H2Error("protocol", `${frame} on stream ${id}, which we did not open`);
    }
  }

  /** Throws if the server already ended stream `id`: nothing may follow its END_STREAM (STREAM_CLOSED). */
  expectNotEndedByServer(frame: string, id: number): void {
    if (this.ended.get(id) === "remote") {
      throw new H2Error("protocol", `${frame} after the end of stream ${id} (STREAM_CLOSED)`);
    }
  }
}
