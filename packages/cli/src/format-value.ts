import { type Data, makeVector } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import { ImageFormatType, describeImageFormat, isValidAt } from "@iris/types";

/** A short human description of one cell of a component column (`null` when the row did not log it). */
export function formatCell(chunk: Chunk, component: string, row: number, maxChars = 80): string {
  const column = chunk.components.get(component);
  if (!column) return "–";
  const list = column.list;
  if (!isValidAt(list, row)) return "null";
  const offsets = list.valueOffsets;
  const start = offsets[row]!;
  const end = offsets[row + 1]!;
  const child = list.children[0]!;
  if (column.descriptor.componentType === "rerun.components.ImageFormat") {
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(describeImageFormat(ImageFormatType.fromArrow(child, i)));
    return `[${parts.join(", ")}]`;
  }
  const text = isByteList(child)
    ? describeBlobs(child, start, end)
    : `[${[...makeVector(child.slice(start, end - start) as Data)].map(stringify).join(", ")}]`;
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** A variable-length list of bytes (a blob); a FixedSizeList<Uint8> such as a UUID has no offsets and is not. */
function isByteList(child: Data): boolean {
  return (
    child.valueOffsets != null &&
    child.children.length === 1 &&
    child.children[0]!.type.toString() === "Uint8"
  );
}

function describeBlobs(child: Data, start: number, end: number): string {
  const offsets = child.valueOffsets;
  const sizes: string[] = [];
  for (let i = start; i < end; i++) sizes.push(`<${offsets[i + 1]! - offsets[i]!} bytes>`);
  return `[${sizes.join(", ")}]`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function stringify(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object") {
    if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<number>).join(", ")}]`;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}
