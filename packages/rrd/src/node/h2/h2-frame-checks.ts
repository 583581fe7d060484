// Checks of frame payloads shared by the client's and the proxy server's frame handlers (RFC 9113 §6).
import { escapeTerminal } from "@iris/types";
import { H2Error } from "./h2-error.ts";
import { Flag, MAX_MAX_FRAME_BYTES, MAX_WINDOW_BYTES, MIN_MAX_FRAME_BYTES, Setting } from "./h2-frame.ts";

export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function expectConnection(name: string, streamId: number): void {
  if (streamId !== 0) throw new H2Error("protocol", `${name} on stream ${streamId}, expected stream 0`);
}

export function expectStream(name: string, streamId: number): void {
  if (streamId === 0) throw new H2Error("protocol", `${name} on stream 0, expected a stream`);
}

export function expectLength(name: string, payload: Uint8Array, bytes: number): void {
  if (payload.length !== bytes) {
    throw new H2Error("frame-size", `a ${name} frame has ${payload.length} bytes, expected ${bytes}`);
  }
}

/** A peer's bytes (e.g. GOAWAY debug data) as text safe to show in a terminal: control characters escaped. */
export function printable(bytes: Uint8Array): string {
  return escapeTerminal(String.fromCharCode(...bytes));
}

/** What a peer's SETTINGS frame sets that the other end acts on (undefined: not set by this frame). */
export interface PeerSettings {
  initialWindowBytes: number | undefined;
  maxFrameBytes: number | undefined;
  maxConcurrentStreams: number | undefined;
}

/**
 * A peer's SETTINGS frame (`from` the server, or from a client), checked: "ack" for an acknowledgement, else the
 * values it sets. Throws `H2Error` for a malformed frame or an invalid value.
 */
export function readPeerSettings(
  flags: number,
  streamId: number,
  payload: Uint8Array,
  from: "server" | "client" = "server",
): "ack" | PeerSettings {
  expectConnection("SETTINGS", streamId);
  if (flags & Flag.ACK) {
    if (payload.length !== 0) {
      throw new H2Error("frame-size", `a SETTINGS acknowledgement has ${payload.length} bytes, expected 0`);
    }
    return "ack";
  }
  if (payload.length % 6 !== 0) {
    throw new H2Error("frame-size", `a SETTINGS frame has ${payload.length} bytes, expected a multiple of 6`);
  }
  const settings: PeerSettings = {
    initialWindowBytes: undefined,
    maxFrameBytes: undefined,
    maxConcurrentStreams: undefined,
  };
  for (let at = 0; at < payload.length; at += 6) {
    const id = (payload[at]! << 8) | payload[at + 1]!;
    const value = readU32(payload, at + 2);
    // A server must not enable push (RFC 9113 §6.5.2); a client may ask for it (a server need not push).
    if (id === Setting.ENABLE_PUSH && (from === "server" ? value !== 0 : value > 1)) {
      throw new H2Error(
        "protocol",
        `the ${from} set SETTINGS_ENABLE_PUSH to ${value}, expected ${from === "server" ? "0" : "0 or 1"}`,
      );
    } else if (id === Setting.INITIAL_WINDOW_SIZE) {
      if (value > MAX_WINDOW_BYTES) {
        throw new H2Error(
          "flow-control",
          `SETTINGS_INITIAL_WINDOW_SIZE ${value} is over ${MAX_WINDOW_BYTES}`,
        );
      }
      settings.initialWindowBytes = value;
    } else if (id === Setting.MAX_FRAME_SIZE) {
      if (value < MIN_MAX_FRAME_BYTES || value > MAX_MAX_FRAME_BYTES) {
        throw new H2Error(
          "protocol",
          `SETTINGS_MAX_FRAME_SIZE ${value} is outside ${MIN_MAX_FRAME_BYTES}…${MAX_MAX_FRAME_BYTES}`,
        );
      }
      settings.maxFrameBytes = value;
    } else if (id === Setting.MAX_CONCURRENT_STREAMS) {
      settings.maxConcurrentStreams = value;
    }
  }
  return settings;
}
