import type { TimeType } from "@iris/types";
import {
  type ManifestChunk,
  type RrdIndex,
  type StoreId,
  isRrdError,
  readRrdIndex,
  storeKey,
} from "@iris/rrd";
import { openFileSource } from "@iris/rrd/node";
import { systemErrorText } from "./describe-error.ts";
import { formatBytes } from "./format-value.ts";
import { formatTime } from "./format-time.ts";
import { CliError, type CliIo } from "./io.ts";
import { storeLabel } from "./read-recording.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

/** What the footers say about one store (summed over every stream's manifest of it). */
export interface FooterStoreSummary {
  storeId: StoreId;
  chunks: number;
  rows: number;
  /** Sum of the chunks' ArrowMsg payload sizes (as stored, maybe LZ4) and of their uncompressed Arrow IPC. */
  payloadBytes: number;
  uncompressedBytes: number;
  timelines: { name: string; type: TimeType; min: bigint | null; max: bigint | null }[];
  entities: { path: string; chunks: number; rows: number; staticRows: number }[];
  /** Every chunk in file order (byte offset of its ArrowMsg payload). */
  chunkList: ManifestChunk[];
}

/**
 * `iris print FILE --footers`: reads only the StreamFooters and RrdFooters at the end of FILE (random access on
 * a file descriptor; no chunk is read) and prints their chunk manifests. A file without footer is a `CliError`.
 */
export function printFooters(path: string, options: { verbose: boolean; json: boolean }, io: CliIo): number {
  let source;
  try {
    source = openFileSource(path);
  } catch (error) {
    throw new CliError(`cannot open ${path}: ${systemErrorText(error) ?? (error as Error).message}`, {
      cause: error,
    });
  }
  let index: RrdIndex;
  try {
    index = readRrdIndex(source);
  } catch (error) {
    if (!isRrdError(error)) throw error;
    throw new CliError(`${path}: the footer is damaged: ${error.message}`, { cause: error });
  } finally {
    source.close();
  }
  if (index.streams.length === 0) {
    throw new CliError(
      `${path} has no RrdFooter (it does not end with a StreamFooter: written without footers, by an older ` +
        `Rerun, or still being written); run \`iris print ${path}\` without --footers to read every chunk`,
    );
  }
  const stores = summarizeFooters(index);
  const coveredFrom = index.streams[0]!.streamStartOffset;
  if (options.json) {
    io.stdout(`${terminalSafeJson(footersJson(path, source.byteLength, index, stores, options.verbose))}\n`);
    return 0;
  }
  const out = [
    `${t(path)}: ${formatBytes(source.byteLength)}, ${index.streams.length} stream footer(s), ` +
      `${stores.reduce((n, s) => n + s.chunks, 0)} chunks in the manifests (chunks not read)`,
  ];
  if (!index.complete) {
    out.push(`  note: the footers cover bytes ${coveredFrom}… only; earlier chunks are not listed`);
  }
  for (const s of stores) {
    out.push("", `store ${t(storeLabel(s.storeId))}`);
    out.push(
      `  ${s.chunks} chunks, ${s.rows} rows, ${formatBytes(s.payloadBytes)} of chunk messages ` +
        `(${formatBytes(s.uncompressedBytes)} of Arrow data)`,
    );
    out.push("  timelines:");
    for (const tl of s.timelines) {
      const range =
        tl.min === null || tl.max === null
          ? "no temporal chunks"
          : `${formatTime(tl.type, tl.min)} … ${formatTime(tl.type, tl.max)}`;
      out.push(`    ${t(tl.name)} (${tl.type}): ${range}`);
    }
    out.push("  entities:");
    for (const e of s.entities) {
      out.push(
        `    ${t(e.path)}: ${e.chunks} chunks, ${e.rows} rows${e.staticRows ? ` (${e.staticRows} static)` : ""}`,
      );
    }
  }
  if (options.verbose) {
    out.push("", "chunks:");
    for (const s of stores) {
      const types = new Map(s.timelines.map((tl) => [tl.name, tl.type]));
      for (const c of s.chunkList) {
        const ranges = [...c.timeRanges].map(
          ([name, r]) =>
            `${t(name)}=${formatTime(types.get(name) ?? "sequence", r.min)}…${formatTime(types.get(name) ?? "sequence", r.max)}`,
        );
        out.push(
          `  @${c.byteOffset} +${c.byteSize} ${t(c.entityPath)} chunk_${c.chunkId} (${t(storeLabel(s.storeId))}) ` +
            `${c.numRows} rows${c.isStatic ? " static" : ""}${ranges.length ? ` ${ranges.join(" ")}` : ""}`,
        );
      }
    }
  }
  io.stdout(out.join("\n") + "\n");
  return 0;
}

/** Per store (in order of first appearance), the manifests' chunks summed per entity and timeline. */
export function summarizeFooters(index: RrdIndex): FooterStoreSummary[] {
  const stores = new Map<string, FooterStoreSummary>();
  for (const stream of index.streams) {
    for (const manifest of stream.manifests) {
      const key = storeKey(manifest.storeId);
      let s = stores.get(key);
      if (s === undefined) {
        s = {
          storeId: manifest.storeId,
          chunks: 0,
          rows: 0,
          payloadBytes: 0,
          uncompressedBytes: 0,
          timelines: [],
          entities: [],
          chunkList: [],
        };
        stores.set(key, s);
      }
      for (const [name, type] of manifest.timelines) {
        if (!s.timelines.some((tl) => tl.name === name))
          s.timelines.push({ name, type, min: null, max: null });
      }
      for (const c of manifest.chunks) addChunk(s, c);
    }
  }
  for (const s of stores.values()) {
    s.timelines.sort((a, b) => (a.name < b.name ? -1 : 1));
    s.entities.sort((a, b) => (a.path < b.path ? -1 : 1));
    s.chunkList.sort((a, b) => a.byteOffset - b.byteOffset);
  }
  return [...stores.values()];
}

function addChunk(s: FooterStoreSummary, c: ManifestChunk): void {
  s.chunks++;
  s.rows += c.numRows;
  s.payloadBytes += c.byteSize;
  s.uncompressedBytes += c.byteSizeUncompressed;
  s.chunkList.push(c);
  let entity = s.entities.find((e) => e.path === c.entityPath);
  if (entity === undefined) {
    entity = { path: c.entityPath, chunks: 0, rows: 0, staticRows: 0 };
    s.entities.push(entity);
  }
  entity.chunks++;
  entity.rows += c.numRows;
  if (c.isStatic) entity.staticRows += c.numRows;
  for (const [name, range] of c.timeRanges) {
    const tl = s.timelines.find((x) => x.name === name);
    if (tl === undefined) continue;
    if (tl.min === null || range.min < tl.min) tl.min = range.min;
    if (tl.max === null || range.max > tl.max) tl.max = range.max;
  }
}

function footersJson(
  path: string,
  sizeBytes: number,
  index: RrdIndex,
  stores: readonly FooterStoreSummary[],
  verbose: boolean,
): unknown {
  return {
    file: path,
    sizeBytes,
    streams: index.streams.map((s) => ({ start: s.streamStartOffset, end: s.streamEndOffset })),
    complete: index.complete,
    stores: stores.map((s) => ({
      kind: s.storeId.kind,
      applicationId: s.storeId.applicationId,
      recordingId: s.storeId.recordingId,
      chunks: s.chunks,
      rows: s.rows,
      payloadBytes: s.payloadBytes,
      arrowBytes: s.uncompressedBytes,
      timelines: s.timelines,
      entities: s.entities,
      ...(verbose
        ? {
            chunkManifest: s.chunkList.map((c) => ({
              offset: c.byteOffset,
              size: c.byteSize,
              sizeUncompressed: c.byteSizeUncompressed,
              entityPath: c.entityPath,
              chunkId: `chunk_${c.chunkId}`,
              static: c.isStatic,
              rows: c.numRows,
              timeRanges: Object.fromEntries(
                [...c.timeRanges].map(([n, r]) => [n, { min: r.min, max: r.max }]),
              ),
              components: c.components,
            })),
          }
        : {}),
    })),
  };
}
