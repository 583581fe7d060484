// One fuzz iteration against each client: `readMessages` reading a transcript, `GrpcSink` writing a few small
// messages to a server whose first connection plays a transcript. Each returns a description of what went
// wrong (see the oracles in read-oracle.ts and sinkProblem here), or undefined.
import { type RrdMessage, writeMessagesRequestFrameParts } from "@iris/rrd";
import { LiveError } from "@iris/sdk";
import { readMessages, GrpcSink, type GrpcSinkEvent, type GrpcSinkStats } from "@iris/sdk/node";
import { FUZZ_MAX_MESSAGE_BYTES, canonical, describeError, readProblem, unsafeText } from "./read-oracle.ts";
import type { Transcript } from "./transcript.ts";
import type { Served, TranscriptServer } from "./transcript-server.ts";

/** How long a client may take to finish once the server has sent its last byte and FIN: longer is a hang. */
export const HANG_MS = 5_000;
/** `GrpcSink.closed(timeout)` in the sink target: what is not acknowledged by then is dropped. */
export const SINK_CLOSE_MS = 2_000;

export interface IterationStats {
  /** Messages readMessages yielded. */
  yielded: number;
  /** readMessages iterations ending with a LiveError / cleanly. */
  liveErrors: number;
  cleanEnds: number;
  /** GrpcSink messages acknowledged / dropped / rejected. */
  acked: number;
  dropped: number;
  rejected: number;
  /** Undecodable messages readMessages reported to onInvalidMessage and skipped. */
  skipped: number;
  /** DATA frames of GrpcSink that used a window up exactly (held by flow control; see FlowAudit). */
  flowExhausted: number;
  /** How readMessages ended: each LiveError's message with numbers, paths and quoted text elided, counted. */
  endings: Record<string, number>;
}

export function emptyIterationStats(): IterationStats {
  return {
    yielded: 0,
    liveErrors: 0,
    cleanEnds: 0,
    acked: 0,
    dropped: 0,
    rejected: 0,
    skipped: 0,
    flowExhausted: 0,
    endings: {},
  };
}

/** Resolves "hang" if `work` has not settled `hangMs + extraMs` after the server finished (`serverDone`). */
export async function withinBound<T>(
  work: Promise<T>,
  served: Pick<Served, "serverDone">,
  extraMs: number,
  hangMs = HANG_MS,
): Promise<T | "hang"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = served.serverDone.then(
    () => new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), hangMs + extraMs))),
  );
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** readMessages against `transcript`; the outcome checked by `readProblem`. */
export async function runRead(
  server: TranscriptServer,
  transcript: Transcript,
  stats: IterationStats = emptyIterationStats(),
): Promise<string | undefined> {
  const served = server.serve(transcript);
  const abort = new AbortController();
  const consumer = transcript.consumer ?? {};
  // Each message as it was yielded (its canonical bytes: with reuseMemory its memory is reused afterwards).
  const yielded: Uint8Array[] = [];
  let error: unknown;
  let errorAfterAbort = false;
  const invalid: unknown[] = []; // what onInvalidMessage was given
  const work = (async () => {
    try {
      if (consumer.abortAfter === 0) abort.abort();
      for await (const m of readMessages(server.url, {
        signal: abort.signal,
        windowBytes: transcript.windowBytes,
        maxMessageBytes: FUZZ_MAX_MESSAGE_BYTES,
        ...(consumer.bufferedMessages !== undefined && { bufferedMessages: consumer.bufferedMessages }),
        ...(consumer.reuseMemory !== undefined && { reuseMemory: consumer.reuseMemory }),
        ...(consumer.skipInvalid === true && { onInvalidMessage: (e: LiveError) => void invalid.push(e) }),
      })) {
        yielded.push(canonical(m));
        if (yielded.length === consumer.abortAfter) abort.abort();
        if (consumer.slow) await new Promise((r) => setTimeout(r, 1));
      }
    } catch (e) {
      error = e;
      errorAfterAbort = abort.signal.aborted;
    }
  })();
  const outcome = await withinBound(work, served, 0);
  server.endIteration();
  if (outcome === "hang") {
    abort.abort();
    const late = await Promise.race([
      work.then(() => "ended"),
      new Promise((r) => setTimeout(() => r("still"), HANG_MS)),
    ]);
    return `readMessages did not end within ${HANG_MS} ms after the server closed the connection (${yielded.length} messages; abort ${late === "ended" ? "ended it" : "did not end it either"})`;
  }
  stats.yielded += yielded.length;
  if (error === undefined) stats.cleanEnds++;
  else stats.liveErrors++;
  const ending =
    error instanceof Error
      ? error.message
          .replace(/^\/\S+ on \S+: |^ReadMessages on \S+:? ?|^cannot read from \S+: /, "")
          .replace(/"[^"]*"|\d+/g, "#")
      : "clean end";
  stats.endings[ending] = (stats.endings[ending] ?? 0) + 1;
  if (errorAfterAbort)
    return `readMessages threw after its signal aborted (it must end quietly): ${describeError(error)}`;
  for (const e of invalid) {
    if (!(e instanceof LiveError)) return `onInvalidMessage was given a non-LiveError: ${describeError(e)}`;
    const unsafe = unsafeText(e.message);
    if (unsafe !== undefined) return `onInvalidMessage's error passes a control character on: ${unsafe}`;
  }
  stats.skipped += invalid.length;
  return readProblem(transcript, yielded, error, abort.signal.aborted, consumer.skipInvalid);
}

/** The gRPC payloads (WriteMessagesRequest bytes) GrpcSink sends for `messages`, uncompressed. */
export function requestPayloads(messages: readonly RrdMessage[]): Uint8Array[] {
  return messages.map(
    (m) =>
      new Uint8Array(
        Buffer.concat(writeMessagesRequestFrameParts(m, { compression: "none" }).parts).subarray(5),
      ),
  );
}

/**
 * What is wrong with a GrpcSink run that sent `sent` messages: `closed()` must have resolved, every message must
 * be acknowledged, dropped or rejected (stats and events agreeing), none left queued, and every message the
 * well-behaved server received must be one that was sent, byte for byte.
 */
export function sinkProblem(
  sent: readonly Uint8Array[],
  stats: GrpcSinkStats,
  events: readonly GrpcSinkEvent[],
  delivered: readonly Uint8Array[],
  closedError: unknown,
): string | undefined {
  if (closedError !== undefined) return `GrpcSink.closed() rejected: ${describeError(closedError)}`;
  const accounted = stats.ackedMessages + stats.droppedMessages + stats.rejectedMessages;
  if (stats.sentMessages !== sent.length)
    return `stats.sentMessages ${stats.sentMessages}, sent ${sent.length}`;
  if (accounted !== sent.length || stats.queuedMessages !== 0) {
    return (
      `${sent.length} messages sent, ${stats.ackedMessages} acknowledged + ${stats.droppedMessages} dropped + ` +
      `${stats.rejectedMessages} rejected = ${accounted}, ${stats.queuedMessages} still queued`
    );
  }
  let droppedEvents = 0;
  let rejectedEvents = 0;
  for (const e of events) {
    if (e.type === "dropped") droppedEvents += e.messages;
    if (e.type === "rejected") rejectedEvents += e.messages;
  }
  if (droppedEvents !== stats.droppedMessages || rejectedEvents !== stats.rejectedMessages) {
    return `events report ${droppedEvents} dropped and ${rejectedEvents} rejected; stats ${stats.droppedMessages} and ${stats.rejectedMessages}`;
  }
  for (const e of events) {
    const unsafe = "error" in e ? unsafeText(e.error) : undefined;
    if (unsafe !== undefined) return `a "${e.type}" event's error passes a control character on: ${unsafe}`;
  }
  for (const [i, d] of delivered.entries()) {
    if (!sent.some((s) => s.length === d.length && Buffer.from(s).equals(d)))
      return `the server received message ${i} (${d.length} bytes), which is none of those sent`;
  }
  return undefined;
}

/** GrpcSink sending `messages`, its first connection facing `transcript`; checked by `sinkProblem`. */
export async function runSink(
  server: TranscriptServer,
  transcript: Transcript,
  messages: readonly RrdMessage[],
  stats: IterationStats = emptyIterationStats(),
): Promise<string | undefined> {
  const served = server.serve(transcript);
  const events: GrpcSinkEvent[] = [];
  const sink = new GrpcSink(server.url, {
    compression: "none",
    minBackoffMs: 5,
    maxBackoffMs: 20,
    ...transcript.sinkOptions,
    onEvent: (e) => events.push(e),
  });
  let closedError: unknown;
  let problem: string | undefined;
  try {
    for (const m of messages) sink.send(m);
    const closing = sink.closed(SINK_CLOSE_MS).catch((e: unknown) => {
      closedError = e ?? new Error("closed() rejected with nothing");
    });
    const outcome = await withinBound(closing, served, SINK_CLOSE_MS);
    if (outcome === "hang") {
      problem = `GrpcSink.closed(${SINK_CLOSE_MS}) did not settle within ${SINK_CLOSE_MS + HANG_MS} ms after the server closed the first connection`;
    }
  } catch (error) {
    problem = `GrpcSink threw: ${describeError(error)}`;
  }
  server.endIteration();
  if (problem !== undefined) return problem;
  const s = sink.stats;
  stats.acked += s.ackedMessages;
  stats.dropped += s.droppedMessages;
  stats.rejected += s.rejectedMessages;
  const audit = served.audit();
  stats.flowExhausted += audit?.exhausted ?? 0;
  const violation = audit?.violations[0];
  if (violation !== undefined) return `GrpcSink went beyond what the server allowed: ${violation}`;
  return sinkProblem(requestPayloads(messages), s, events, served.delivered, closedError);
}
