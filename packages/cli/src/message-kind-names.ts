import { MessageKind } from "@iris/rrd";

const NAMES = new Map<string, string>(
  Object.entries(MessageKind).map(([name, value]) => [String(value), name]),
);

/** The name of an `.rrd` message kind (`2` → "ArrowMsg"), as Rerun's protobuf calls it. */
export function messageKindName(kind: number | bigint): string {
  return NAMES.get(String(kind)) ?? `unknown kind ${kind}`;
}

/**
 * Rewrites the decoder's "message of kind 2" / "message kind 2" into "ArrowMsg message" / "ArrowMsg", so no
 * number from the wire format reaches the user.
 */
export function nameMessageKinds(text: string): string {
  return text.replace(
    /\b(unknown )?message (?:of )?kind (\d+)/g,
    (match: string, unknown: string | undefined, k: string) =>
      unknown !== undefined || !NAMES.has(k) ? match : `${NAMES.get(k)!} message`,
  );
}
