import { escapeTerminal } from "@iris/types";

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
    if (name.charCodeAt(0) !== 0x3a) {
      regular = true;
      continue;
    }
    if (trailers) return `the trailers hold the pseudo-header ${shown()}`;
    if (name !== ":status") return `the response holds the pseudo-header ${shown()}`;
    if (regular) return `the pseudo-header :status comes after other fields`;
    if (++status > 1) return `the response holds :status twice`;
    if (!/^\d{3}$/.test(value)) return `:status is not three digits`;
  }
  if (!trailers && status === 0) return "the response has no :status";
  return undefined;
}
