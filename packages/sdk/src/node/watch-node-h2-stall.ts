import type * as http2 from "node:http2";

/** How often the watch looks at the session. */
const TICK_MS = 500;
/** Ticks a probe PING may sit unsent, with nothing read and no activity, before the session counts as stopped. */
const STALLED_TICKS = 2;
/** The bytes of a PING frame (9-byte header, 8-byte payload): all that a server's ACK adds to what was read. */
const PING_FRAME_BYTES = 17;

export interface NodeH2StallWatch {
  /** Something arrived on the watched stream (headers, data, trailers): the session is processing frames. */
  activity(): void;
  stop(): void;
}

/**
 * Notices that nghttp2 has silently ended a `node:http2` client session, and calls `onStalled` once.
 *
 * When a server breaks the protocol in a way nghttp2 handles on its own — a frame larger than the client's
 * SETTINGS_MAX_FRAME_SIZE is the case seen (Node 20) — nghttp2 sends a GOAWAY and from then on ignores its input;
 * Node stops reading the socket and emits nothing: no 'error', 'frameError', 'goaway' or 'close' on the session or
 * the stream, not even when the server then closes the connection (Node no longer reads it). The only traces are
 * that the socket's `bytesRead` stops growing and that nghttp2 sends nothing more (frames stay in its outbound
 * queue, `session.state.outboundQueueSize`).
 *
 * So: when a tick finds bytes read that nghttp2 is not known to have processed, and no stream activity since the
 * previous tick, the watch sends a PING. A live session sends it at once, which shows that everything read before
 * was processed (and the server's ACK, if it comes alone, is known good too); if the PING is still queued
 * `STALLED_TICKS` ticks later with nothing read and no activity in between, nghttp2 has stopped. An idle stream
 * costs one PING after each burst of data, a streaming one none.
 */
export function watchNodeH2Stall(session: http2.ClientHttp2Session, onStalled: () => void): NodeH2StallWatch {
  let active = false;
  /** `bytesRead` up to which nghttp2 is known to have processed what it read. */
  let verifiedBytes = 0;
  let probe: { bytesRead: number; stalledTicks: number } | undefined;
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  const stop = (): void => clearInterval(timer);

  function bytesRead(): number | undefined {
    // undefined before the connection exists and after the session is destroyed.
    const socket = session.socket as http2.ClientHttp2Session["socket"] | undefined;
    return socket?.bytesRead;
  }

  function tick(): void {
    if (session.destroyed || session.closed) return stop();
    const read = session.connecting ? undefined : bytesRead();
    if (read === undefined) return;
    const wasActive = active;
    active = false;
    if (probe !== undefined) {
      if ((session.state.outboundQueueSize ?? 0) === 0) {
        // The PING left: nghttp2 was alive after it had read what came before it.
        verifiedBytes = Math.max(verifiedBytes, probe.bytesRead);
        probe = undefined;
        return;
      }
      probe.stalledTicks = read === probe.bytesRead && !wasActive ? probe.stalledTicks + 1 : 0;
      if (probe.stalledTicks >= STALLED_TICKS) {
        stop();
        onStalled();
      }
      return;
    }
    if (wasActive || read <= verifiedBytes) return;
    const sentAt = read;
    const submitted = session.ping((error) => {
      if (error !== null) return;
      // The ACK: what came with it is known good only if it came alone.
      const now = bytesRead() ?? sentAt;
      if (now - sentAt <= PING_FRAME_BYTES) verifiedBytes = Math.max(verifiedBytes, now);
    });
    // Not submitted: too many PINGs unanswered (a server that does not acknowledge them); nothing to learn.
    if (submitted) probe = { bytesRead: read, stalledTicks: 0 };
  }

  return {
    activity: () => {
      active = true;
    },
    stop,
  };
}
