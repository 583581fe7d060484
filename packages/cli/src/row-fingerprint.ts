import type { Data } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import { isValidAt } from "@iris/types";

/**
 * A canonical text for one row of a chunk, for semantic comparison: entity, times (without `ignoredTimelines`)
 * and every component cell except `ignoredComponents` (byte lists as length + FNV-1a hash, other values as JSON).
 * RowIds and ChunkIds are not part of it.
 */
export function rowFingerprint(
  chunk: Chunk,
  row: number,
  ignoredTimelines: ReadonlySet<string>,
  ignoredComponents: ReadonlySet<string> = new Set(),
): string {
  const times = [...chunk.timelines]
    .filter(([name]) => !ignoredTimelines.has(name))
    .map(([name, t]) => `${name}=${t.times[row]}`)
    .sort();
  const cells = [...chunk.components]
    .filter(([name]) => !ignoredComponents.has(name))
    .map(([name, c]) => [name, cellText(c.list, row)] as const)
    .filter(([, text]) => text !== "null")
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, text]) => `${name}=${text}`);
  return `${chunk.entityPath} ${chunk.isStatic ? "static" : times.join(",")} ${cells.join(" ")}`;
}

function cellText(list: Data, row: number): string {
  if (!isValidAt(list, row)) return "null";
  const offsets = list.valueOffsets;
  const start = offsets[row]!;
  const end = offsets[row + 1]!;
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(valueText(list.children[0]!, i));
  return `[${parts.join(",")}]`;
}

/** Element `index` of `data` as canonical text, for any Arrow type. */
function valueText(data: Data, index: number): string {
  if (!isValidAt(data, index)) return "null";
  // Arrow JS slices value and offset buffers with the Data; only validity bitmaps use `offset`.
  const i = index;
  if (data.valueOffsets && data.children.length === 1) {
    const start = data.valueOffsets[i]!;
    const end = data.valueOffsets[i + 1]!;
    const child = data.children[0]!;
    if (child.values instanceof Uint8Array && child.children.length === 0) {
      const bytes = child.values.subarray(start, end);
      return `<${bytes.length}:${fnv1a(bytes)}>`;
    }
    const parts: string[] = [];
    for (let k = start; k < end; k++) parts.push(valueText(child, k));
    return `[${parts.join(",")}]`;
  }
  if (data.valueOffsets && data.values instanceof Uint8Array) {
    const bytes = data.values.subarray(data.valueOffsets[i]!, data.valueOffsets[i + 1]!);
    return JSON.stringify(new TextDecoder().decode(bytes));
  }
  if (data.children.length > 0 && !data.valueOffsets) {
    const size = (data.type as unknown as { listSize?: number }).listSize;
    if (size !== undefined) {
      const child = data.children[0]!;
      return `[${Array.from({ length: size }, (_, k) => valueText(child, index * size + k)).join(",")}]`;
    }
    return `{${data.children.map((c) => valueText(c, index)).join(",")}}`;
  }
  const values = data.values as ArrayLike<number | bigint> | undefined;
  if (!values) return "?";
  const stride = (data.type as unknown as { byteWidth?: number }).byteWidth;
  if (stride !== undefined && values instanceof Uint8Array) {
    return `<${fnv1a(values.subarray(i * stride, (i + 1) * stride))}>`;
  }
  return String(values[i]);
}

function fnv1a(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
