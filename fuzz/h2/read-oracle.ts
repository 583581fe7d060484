// The oracle of the readMessages target: what a transcript really carried (read by a reference walker written
// here from RFC 9113, independent of the client), and whether what the client did is allowed.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type RrdMessage, rrdMessageFromProto, rrdMessageToProto, sdkCommsPb } from "@iris/rrd";
import { LiveError } from "@iris/sdk";
import { type Transcript, transcriptBytes } from "./transcript.ts";

/** readMessages' `maxMessageBytes` in the fuzzer (a hostile length prefix must not make it allocate 512 MiB). */
export const FUZZ_MAX_MESSAGE_BYTES = 1 << 20;

/** A message's canonical bytes (its ReadMessagesResponse re-encoded), to compare messages byte for byte. */
export function canonical(message: RrdMessage): Uint8Array {
  const response = create(sdkCommsPb.ReadMessagesResponseSchema, {
    logMsg: { msg: rrdMessageToProto(message) },
  });
  return toBinary(sdkCommsPb.ReadMessagesResponseSchema, response);
}

/**
 * The messages of stream 1's response body, in order, as the transcript's bytes carry them (DATA frames on
 * stream 1 until END_STREAM, trailers, RST_STREAM or a GOAWAY that excludes it; padding removed), up to the first
 * one a client must refuse (compressed, over the limit, undecodable unless `skipInvalid`). A client may stop earlier (a violation
 * elsewhere ends the connection), never later, and never yield anything else.
 */
export function referenceMessages(bytes: Uint8Array, skipInvalid = false): Uint8Array[] {
  const body: Uint8Array[] = [];
  let at = 0;
  while (at + 9 <= bytes.length) {
    const length = (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
    const type = bytes[at + 3]!;
    const flags = bytes[at + 4]!;
    const stream =
      ((bytes[at + 5]! << 24) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 8) | bytes[at + 8]!) & 0x7fffffff;
    const payload = bytes.subarray(at + 9, at + 9 + length);
    const partial = payload.length < length;
    at += 9 + length;
    if (stream === 1 && type === 0) {
      // DATA is delivered as it arrives (as nghttp2 does): the part of a frame cut short by the end of the
      // connection counts, up to where its padding would begin.
      let [start, end] = [0, length];
      if (flags & 0x8) {
        if (payload.length < 1 || payload[0]! >= length) break;
        [start, end] = [1, length - payload[0]!];
      }
      body.push(payload.subarray(start, Math.min(end, payload.length)));
      if (flags & 0x1 || partial) break;
    } else if (partial) break;
    else if (stream === 1 && type === 1 && flags & 0x1) break;
    else if (stream === 1 && type === 3) break;
    else if (type === 7 && length >= 8 && (Buffer.from(payload).readUInt32BE(0) & 0x7fffffff) === 0) break;
  }
  const all = Buffer.concat(body);
  const out: Uint8Array[] = [];
  for (let p = 0; p + 5 <= all.length;) {
    const flags = all[p]!;
    const length = all.readUInt32BE(p + 1);
    if (flags & 1 || length > FUZZ_MAX_MESSAGE_BYTES || p + 5 + length > all.length) break;
    try {
      const response = fromBinary(sdkCommsPb.ReadMessagesResponseSchema, all.subarray(p + 5, p + 5 + length));
      out.push(canonical(rrdMessageFromProto(response.logMsg?.msg ?? { case: undefined })));
    } catch {
      if (!skipInvalid) break; // with onInvalidMessage the client skips it
    }
    p += 5 + length;
  }
  return out;
}

const equal = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/**
 * Characters that must not reach a terminal in an error text made from what a server sent (C0 and C1 controls,
 * DEL, line separators, bidi controls): the SDK promises to show them escaped ("\\x1b").
 */
const C0_C1 = "\\u0000-\\u001f\\u007f-\\u009f";
const TERMINAL_UNSAFE = new RegExp(
  `[${C0_C1}\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]`,
  "u",
);

/** A description of the first terminal-unsafe character in `text`, or undefined. */
export function unsafeText(text: string): string | undefined {
  const match = TERMINAL_UNSAFE.exec(text);
  if (match === null) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).padStart(4, "0");
  return `U+${code} at ${match.index} in ${JSON.stringify(text.slice(Math.max(0, match.index - 60), match.index + 20))}`;
}

export function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}\n${(error.stack ?? "").split("\n").slice(1, 5).join("\n")}`;
  return String(error);
}

/**
 * What is wrong with `yielded` (the canonical bytes of each message readMessages yielded) and `error` (how it
 * ended) for `transcript`, or undefined: the only error allowed is a `LiveError`, and the messages must be a prefix
 * of the reference's, byte for byte, and all of them after a clean end (unless the consumer aborted).
 */
export function readProblem(
  transcript: Transcript,
  yielded: readonly Uint8Array[],
  error: unknown,
  aborted = false,
  skipInvalid = false,
): string | undefined {
  if (error !== undefined && !(error instanceof LiveError))
    return `readMessages threw a non-LiveError: ${describeError(error)}`;
  const unsafe = error instanceof LiveError ? unsafeText(error.message) : undefined;
  if (unsafe !== undefined) return `the LiveError's message passes a control character on: ${unsafe}`;
  const reference = referenceMessages(transcriptBytes(transcript), skipInvalid);
  if (yielded.length > reference.length)
    return `readMessages yielded ${yielded.length} messages; the transcript carried only ${reference.length} intact`;
  for (let i = 0; i < yielded.length; i++) {
    if (!equal(yielded[i]!, reference[i]!)) return `message ${i} differs from the one the transcript carried`;
  }
  // A clean end (grpc-status 0, the stream ended) comes after the whole response: no message may be missing.
  if (error === undefined && !aborted && yielded.length < reference.length)
    return `readMessages ended cleanly after ${yielded.length} messages; the transcript carried ${reference.length}`;
  return undefined;
}
