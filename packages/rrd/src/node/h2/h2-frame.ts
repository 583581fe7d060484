// HTTP/2 frame layout and constants (RFC 9113 §4, §6, §7, §11).

export const FRAME_HEADER_BYTES = 9;
/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
/** SETTINGS_MAX_FRAME_SIZE's default and smallest value. */
export const MIN_MAX_FRAME_BYTES = 16_384;
/** SETTINGS_MAX_FRAME_SIZE's largest value. */
export const MAX_MAX_FRAME_BYTES = 16_777_215;
/** The largest flow-control window. */
export const MAX_WINDOW_BYTES = 2 ** 31 - 1;
/** The initial flow-control window of a connection and of a stream before SETTINGS say otherwise. */
export const DEFAULT_WINDOW_BYTES = 65_535;

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** HTTP/2 error codes (RFC 9113 §7), by value. */
export const ERROR_CODE_NAMES: readonly string[] = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
];

export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/** "CODE_NAME (n)" for an HTTP/2 error code. */
export function errorCodeName(code: number): string {
  const name = ERROR_CODE_NAMES[code];
  return name === undefined ? `unknown error code ${code}` : `${name} (${code})`;
}

/** The 9-byte header of a frame whose payload has `length` bytes (written after it, as separate buffers). */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES);
  writeFrameHeader(out, length, type, flags, streamId);
  return out;
}

function writeFrameHeader(
  out: Uint8Array,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): void {
  out[0] = (length >>> 16) & 0xff;
  out[1] = (length >>> 8) & 0xff;
  out[2] = length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer, out.byteOffset).setUint32(5, streamId & MAX_WINDOW_BYTES);
}

/** One frame: its 9-byte header followed by `payload`. */
export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  writeFrameHeader(out, payload.length, type, flags, streamId);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** A SETTINGS frame with `settings` as [identifier, value] pairs (none and `ack` for an acknowledgement). */
export function settingsFrame(settings: readonly (readonly [number, number])[], ack = false): Uint8Array {
  const payload = new Uint8Array(settings.length * 6);
  const view = new DataView(payload.buffer);
  settings.forEach(([id, value], i) => {
    view.setUint16(i * 6, id);
    view.setUint32(i * 6 + 2, value);
  });
  return encodeFrame(FrameType.SETTINGS, ack ? Flag.ACK : 0, 0, payload);
}

/** A WINDOW_UPDATE frame granting `increment` bytes on `streamId` (0: the connection). */
export function windowUpdateFrame(streamId: number, increment: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, increment);
  return encodeFrame(FrameType.WINDOW_UPDATE, 0, streamId, payload);
}

/** A GOAWAY frame: the last stream processed, an error code and optional debug text. */
/** RST_STREAM on `streamId` with error `code`. */
export function rstStreamFrame(streamId: number, code: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, code);
  return encodeFrame(FrameType.RST_STREAM, 0, streamId, payload);
}

export function goawayFrame(lastStreamId: number, code: number, debug = ""): Uint8Array {
  const text = new TextEncoder().encode(debug);
  const payload = new Uint8Array(8 + text.length);
  const view = new DataView(payload.buffer);
  view.setUint32(0, lastStreamId);
  view.setUint32(4, code);
  payload.set(text, 8);
  return encodeFrame(FrameType.GOAWAY, 0, 0, payload);
}
