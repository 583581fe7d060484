/** What a `Range` request header asks of a representation of `sizeBytes` bytes (RFC 9110 §14). */
export type ByteRangeRequest =
  /** No usable Range header (absent, or a unit other than `bytes`, which RFC 9110 says to ignore): send it all. */
  | { kind: "whole" }
  /** One satisfiable range, inclusive `first`…`last`, already clamped to the representation. */
  | { kind: "range"; first: number; last: number }
  /** A Range the server refuses with 416: malformed, unsatisfiable, or more than one range. */
  | { kind: "unsatisfiable"; reason: string };

/** HTTP's optional whitespace (spaces and tabs only) at either end. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** Longest Range header value looked at (a hostile header of megabytes is refused before any parsing). */
const MAX_RANGE_HEADER_CHARS = 200;

/**
 * Parses a `Range` header for a representation of `sizeBytes` bytes. Only a single `bytes` range is served
 * (`a-b`, `a-`, `-n`); a list of several ranges is refused (RFC 9110 §14.2 allows rejecting it) rather than
 * answered with multipart/byteranges, which no Iris reader needs. Numbers are decimal digits only (no signs,
 * spaces inside, or exponents); a last position beyond the end is clamped, a first position at or after the end
 * (or a suffix of 0 bytes) is unsatisfiable.
 */
export function parseByteRange(header: string | undefined, sizeBytes: number): ByteRangeRequest {
  if (header === undefined) return { kind: "whole" };
  if (header.length > MAX_RANGE_HEADER_CHARS) {
    return { kind: "unsatisfiable", reason: `Range header longer than ${MAX_RANGE_HEADER_CHARS} characters` };
  }
  const equals = header.indexOf("=");
  const unit = (equals < 0 ? header : header.slice(0, equals)).replace(OWS, "").toLowerCase();
  if (unit !== "bytes") return { kind: "whole" };
  const specs = header
    .slice(equals + 1)
    .split(",")
    .map((s) => s.replace(OWS, ""))
    .filter((s) => s.length > 0);
  if (specs.length === 0) return { kind: "unsatisfiable", reason: "Range header names no range" };
  if (specs.length > 1) {
    return { kind: "unsatisfiable", reason: `only one range per request is served, got ${specs.length}` };
  }
  const spec = specs[0]!;
  const match = /^(\d*)-(\d*)$/.exec(spec);
  if (!match || (match[1] === "" && match[2] === "")) {
    return { kind: "unsatisfiable", reason: `malformed byte range "${spec}" (expected a-b, a- or -n)` };
  }
  const [, firstText = "", lastText = ""] = match;
  if (firstText === "") {
    const suffix = Number(lastText);
    if (suffix === 0 || sizeBytes === 0) {
      return { kind: "unsatisfiable", reason: `suffix range "${spec}" selects no byte of ${sizeBytes}` };
    }
    return { kind: "range", first: Math.max(0, sizeBytes - suffix), last: sizeBytes - 1 };
  }
  const first = Number(firstText);
  const last = lastText === "" ? sizeBytes - 1 : Number(lastText);
  if (first >= sizeBytes) {
    return {
      kind: "unsatisfiable",
      reason: `byte range "${spec}" starts at or after the end (${sizeBytes} bytes)`,
    };
  }
  if (last < first) {
    return { kind: "unsatisfiable", reason: `byte range "${spec}" ends before it starts` };
  }
  return { kind: "range", first, last: Math.min(last, sizeBytes - 1) };
}
