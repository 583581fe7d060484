import { escapeTerminal } from "@iris/types";

/** Why field `i` has a malformed name or value (RFC 9113 §8.2.1), or undefined. */
function malformedCharacters(i: number, name: string, value: string): string | undefined {
  const shown = (): string => escapeTerminal(JSON.stringify(name.slice(0, 40)));
  if (name.length === 0) return `field ${i} has an empty name`;
  for (let c = 0; c < name.length; c++) {
    const code = name.charCodeAt(c);
    if (code <= 0x20 || (code >= 0x41 && code <= 0x5a) || code >= 0x7f || (code === 0x3a && c > 0)) {
      return `field ${i} ${shown()} has a name with the character 0x${code.toString(16)}`;
    }
  }
  for (let c = 0; c < value.length; c++) {
    const code = value.charCodeAt(c);
    if (code === 0 || code === 0x0a || code === 0x0d) {
      return `field ${i} ${shown()} has a value with the character 0x${code.toString(16)}`;
    }
  }
  return undefined;
}

/**
 * Why a decoded response header block is malformed (RFC 9113 §8.2.1, §8.3), or undefined. `trailers`: the block
 * ends a response that already had its headers. Checked: field names (not empty; no control, space, upper-case
 * or non-ASCII character; a colon only to begin a pseudo-header), field values (no NUL, CR or LF), and
 * pseudo-headers (only `:status`, once, three digits, before the other fields; none in trailers). Leading and
 * trailing whitespace in values, also malformed per §8.2.1, is let through: a gRPC server's grpc-message may end
 * in a space, and no smuggling is possible through a field that is never forwarded.
 */
export function malformedField(
  fields: readonly (readonly [string, string])[],
  trailers: boolean,
): string | undefined {
  let regular = false;
  let status = 0;
  for (const [i, [name, value]] of fields.entries()) {
    const bad = malformedCharacters(i, name, value);
    if (bad !== undefined) return bad;
    if (name.charCodeAt(0) !== 0x3a) {
      regular = true;
      continue;
    }
    const shown = escapeTerminal(JSON.stringify(name.slice(0, 40)));
    if (trailers) return `the trailers hold the pseudo-header ${shown}`;
    if (name !== ":status") return `the response holds the pseudo-header ${shown}`;
    if (regular) return `the pseudo-header :status comes after other fields`;
    if (++status > 1) return `the response holds :status twice`;
    if (!/^\d{3}$/.test(value)) return `:status is not three digits`;
  }
  if (!trailers && status === 0) return "the response has no :status";
  return undefined;
}

const REQUEST_PSEUDO_HEADERS = new Set([":method", ":scheme", ":authority", ":path"]);
/** Connection-specific fields, which HTTP/2 forbids (RFC 9113 §8.2.2). */
const CONNECTION_FIELDS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Why a decoded request header block is malformed (RFC 9113 §8.2, §8.3.1), or undefined. `trailers`: the block
 * ends a request that already had its headers. Checked, beyond the characters of names and values: pseudo-headers
 * (only `:method`, `:scheme`, `:authority` and `:path`, each at most once, before the other fields; `:method`,
 * `:scheme` and a non-empty `:path` present; none in trailers), no connection-specific field, `te` only
 * `trailers`.
 */
export function malformedRequestField(
  fields: readonly (readonly [string, string])[],
  trailers: boolean,
): string | undefined {
  let regular = false;
  const seen = new Set<string>();
  for (const [i, [name, value]] of fields.entries()) {
    const bad = malformedCharacters(i, name, value);
    if (bad !== undefined) return bad;
    const shown = escapeTerminal(JSON.stringify(name.slice(0, 40)));
    if (name.charCodeAt(0) !== 0x3a) {
      regular = true;
      if (CONNECTION_FIELDS.has(name)) return `the request holds the connection-specific field ${shown}`;
      if (name === "te" && value !== "trailers") return `te is not "trailers"`;
      continue;
    }
    if (trailers) return `the trailers hold the pseudo-header ${shown}`;
    if (!REQUEST_PSEUDO_HEADERS.has(name)) return `the request holds the pseudo-header ${shown}`;
    if (regular) return `the pseudo-header ${shown} comes after other fields`;
    if (seen.has(name)) return `the request holds ${shown} twice`;
    seen.add(name);
    if (name === ":path" && value.length === 0) return "the request has an empty :path";
  }
  if (trailers) return undefined;
  for (const name of [":method", ":scheme", ":path"]) {
    if (!seen.has(name)) return `the request has no ${name}`;
  }
  return undefined;
}
