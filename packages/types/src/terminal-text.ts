/**
 * Characters that must never reach a terminal from file data (or from a server: error texts it sends): C0 controls (ESC, BEL, CR, …), DEL, C1 controls
 * (CSI, OSC, …), the Unicode line/paragraph separators and the bidi overrides/isolates/marks that reorder what
 * is shown (Trojan Source).
 */
const CONTROLS = "\\u0000-\\u0009\\u000b-\\u001f";
const OTHERS = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE = new RegExp(`[${CONTROLS}\\u000a${OTHERS}]`, "gu");
const UNSAFE_EXCEPT_NEWLINE = new RegExp(`[${CONTROLS}${OTHERS}]`, "gu");
/** What `JSON.stringify` leaves raw but a terminal interprets; outside strings JSON has only ASCII. */
const JSON_UNSAFE = new RegExp(`[${OTHERS}]`, "gu");

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` from a file, safe to print: every control or bidi character becomes `\x1b` / `\u202e`. */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** A whole block of human output: like `escapeTerminal`, but the line breaks the CLI itself wrote stay. */
export function escapeTerminalLines(text: string): string {
  return text.replace(UNSAFE_EXCEPT_NEWLINE, escapeChar);
}

/**
 * JSON text that is still exact (it parses to the same value) but safe on a terminal: `JSON.stringify` already
 * escapes C0 controls; DEL, C1, separators and bidi controls (which can only occur inside strings) become
 * `\uXXXX` escapes too.
 */
export function terminalSafeJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
