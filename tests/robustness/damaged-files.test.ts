import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ChunkError, chunkFromIpc } from "@iris/chunk";
import {
  MESSAGE_HEADER_BYTES,
  MessageKind,
  RERUN_VERSION,
  RrdDecoder,
  type RrdWarning,
  STREAM_FOOTER_BYTES,
  STREAM_HEADER_BYTES,
  encodeStreamHeader,
  isRrdError,
  parseStreamFooter,
} from "@iris/rrd";
import { ChunkStore, StoreError, queryDataframe } from "@iris/store";
import { Tuid } from "@iris/types";
import { allExamples } from "../../examples/src/all-examples.ts";
import { writeExample } from "../../examples/src/run-example.ts";
import { mulberry32 } from "../mulberry32.ts";

/** One chunk as loaded: the ArrowMsg's header offset, the chunk id and the exact IPC bytes it came from. */
interface LoadedChunk {
  readonly offset: number;
  readonly id: Tuid;
  readonly ipc: Uint8Array;
  readonly numRows: number;
}

interface LoadResult {
  readonly chunks: LoadedChunk[];
  readonly warnings: RrdWarning[];
  /** Offsets of every decoded message (any kind). */
  readonly messageOffsets: number[];
  readonly rejected: number;
  /** CPU time of the load (user + system), not wall time: waiting for a busy machine's CPU is no hang. */
  readonly cpuMillis: number;
  readonly stores: ReadonlyMap<string, ChunkStore>;
}

/**
 * Any decode spending more CPU time than this fails the case (the files are ≤ 400 KB; a case takes a few ms).
 * CPU time, not wall time: on a loaded machine a worker can wait for a CPU longer than this without any fault.
 */
const MAX_CPU_MILLIS_PER_CASE = 2_000;

function cpuMillisSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * What a reader does with a file: RrdDecoder → chunkFromIpc → ChunkStore.insert (one store per StoreId) → a
 * dataframe query per timeline. Only the typed errors of each stage are tolerated (ChunkError skips a chunk,
 * `queryAll` a query); anything else propagates and fails the test. A bad first stream header
 * throws RrdError out of here (checked by the callers).
 */
function load(bytes: Uint8Array): LoadResult {
  const start = process.cpuUsage();
  const decoder = new RrdDecoder();
  decoder.push(bytes);
  const chunks: LoadedChunk[] = [];
  const warnings: RrdWarning[] = [];
  const messageOffsets: number[] = [];
  const stores = new Map<string, ChunkStore>();
  let rejected = 0;
  for (const event of decoder.end()) {
    if (event.type === "warning") {
      warnings.push(event.warning);
      continue;
    }
    messageOffsets.push(event.offset);
    const message = event.message;
    if (message.kind !== "arrowMsg") continue;
    let chunk;
    try {
      chunk = chunkFromIpc(message.ipc);
    } catch (error) {
      if (!(error instanceof ChunkError)) throw error;
      rejected++;
      continue;
    }
    const key = `${message.storeId.kind}/${message.storeId.recordingId}`;
    let store = stores.get(key);
    if (!store) stores.set(key, (store = new ChunkStore()));
    try {
      store.insert(chunk);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      rejected++;
      continue;
    }
    chunks.push({ offset: event.offset, id: chunk.id, ipc: message.ipc, numRows: chunk.numRows });
  }
  return { chunks, warnings, messageOffsets, rejected, cpuMillis: cpuMillisSince(start), stores };
}

/** A sparse-filled dataframe per timeline of every store: only StoreError may be thrown. */
function queryAll(stores: ReadonlyMap<string, ChunkStore>): void {
  for (const store of stores.values()) {
    for (const index of store.timelines().keys()) {
      try {
        queryDataframe(store, { index, sparseFill: true });
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
      }
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

interface Intact {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly load: LoadResult;
  /** Message header offsets, then the file length: message i spans [bounds[i], bounds[i+1]). */
  readonly bounds: number[];
}

const FIRST_HEADER_ERROR_KINDS = new Set([
  "not-rrd",
  "old-version",
  "incompatible-version",
  "unsupported-serializer",
  "unsupported-compression",
  "bad-reserved-bytes",
]);

const dir = mkdtempSync(join(tmpdir(), "iris-damaged-"));
const intact: Intact[] = [];

beforeAll(async () => {
  for (const example of allExamples) {
    const path = await writeExample(example, join(dir, `${example.name}.rrd`));
    // The damage cases cut and flip the messages; the footer (End + RrdFooter + StreamFooter) is dropped here.
    const bytes = withoutFooter(new Uint8Array(readFileSync(path)));
    const result = load(bytes);
    queryAll(result.stores);
    intact.push({
      name: example.name,
      bytes,
      load: result,
      bounds: [...result.messageOffsets, bytes.length],
    });
  }
});

describe("damaged example files", () => {
  it("the intact examples load without warnings (the reference)", () => {
    expect(intact).toHaveLength(allExamples.length);
    for (const file of intact) {
      expect(file.load.warnings, file.name).toEqual([]);
      expect(file.load.rejected, file.name).toBe(0);
      expect(file.load.chunks.length, file.name).toBeGreaterThan(0);
      // Without their footer the messages tile the file after the 12-byte stream header.
      expect(file.bounds[0], file.name).toBe(STREAM_HEADER_BYTES);
    }
  });

  it("truncation at every message boundary and ~50 random offsets loads exactly the complete messages", () => {
    for (const file of intact) {
      const random = mulberry32(0x7a11 + file.bytes.length);
      const cuts = new Set<number>([0, 1, 4, 11, ...file.bounds]);
      for (let i = 0; i < 50; i++) cuts.add(Math.floor(random() * file.bytes.length));
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const label = `${file.name} cut at ${cut}`;
        const result = load(file.bytes.subarray(0, cut));
        expect(result.cpuMillis, label).toBeLessThan(MAX_CPU_MILLIS_PER_CASE);
        const complete = file.bounds.slice(0, -1).filter((_offset, i) => file.bounds[i + 1]! <= cut);
        expect(result.messageOffsets, label).toEqual(complete);
        const expectedChunks = file.load.chunks.filter((c) => complete.includes(c.offset));
        expect(result.chunks.length, label).toBe(expectedChunks.length);
        result.chunks.forEach((chunk, i) => {
          expect(chunk.id.toString(), label).toBe(expectedChunks[i]!.id.toString());
          expect(sameBytes(chunk.ipc, expectedChunks[i]!.ipc), label).toBe(true);
        });
        expect(result.rejected, label).toBe(0);
        if (cut < STREAM_HEADER_BYTES) {
          expect(
            result.warnings.map((w) => w.kind),
            label,
          ).toEqual(["truncated"]);
          expect(result.warnings[0]!.message, label).toContain("stream header");
          continue;
        }
        const cutMessage = file.bounds.findIndex((b, i) => b < cut && file.bounds[i + 1]! > cut);
        if (file.bounds.includes(cut)) {
          // A cut between messages leaves a shorter but complete stream: nothing was lost mid-message.
          expect(result.warnings, label).toEqual([]);
        } else {
          expect(cutMessage, label).toBeGreaterThanOrEqual(0);
          const headerOffset = file.bounds[cutMessage]!;
          expect(result.warnings, label).toHaveLength(1);
          const warning = result.warnings[0]!;
          expect(warning.kind, label).toBe("truncated");
          expect(warning.offset, label).toBe(headerOffset);
          expect(warning.lostBytes, label).toBe(cut - headerOffset);
          const inHeader = cut - headerOffset < MESSAGE_HEADER_BYTES;
          expect(warning.message, label).toContain(inHeader ? "message header bytes" : "payload bytes");
        }
      }
    }
  });

  it("~200 random byte flips per file: only typed errors, no hang, and every other chunk exactly as intact", () => {
    const summary: string[] = [];
    for (const file of intact) {
      const random = mulberry32(0xf11b + file.bytes.length);
      let thrown = 0;
      let damagedButLoaded = 0;
      let lostChunks = 0;
      for (let i = 0; i < 200; i++) {
        // Half of the flips land in the first 64 bytes (headers, protobuf fields, IPC schema), half anywhere.
        const position =
          i % 2 === 0
            ? Math.floor(random() * Math.min(64, file.bytes.length))
            : Math.floor(random() * file.bytes.length);
        const mask = 1 + Math.floor(random() * 255);
        const damaged = file.bytes.slice();
        damaged[position]! ^= mask;
        const label = `${file.name} byte ${position} ^= 0x${mask.toString(16)}`;
        let result: LoadResult;
        try {
          result = load(damaged);
        } catch (error) {
          // Only a damaged first stream header may throw, and only a typed RrdError.
          expect(isRrdError(error), `${label}: ${(error as Error).stack ?? String(error)}`).toBe(true);
          expect(position, label).toBeLessThan(STREAM_HEADER_BYTES);
          expect(FIRST_HEADER_ERROR_KINDS.has((error as { kind: string }).kind), label).toBe(true);
          thrown++;
          continue;
        }
        expect(result.cpuMillis, label).toBeLessThan(MAX_CPU_MILLIS_PER_CASE);
        // The message (in the intact framing) that holds the flipped byte, if any.
        const hit = file.bounds.findIndex((b, k) => b <= position && file.bounds[k + 1]! > position);
        const hitOffset = hit >= 0 ? file.bounds[hit]! : -1;
        const damagedBefore = damagedButLoaded;
        for (const chunk of result.chunks) {
          const original = file.load.chunks.find((c) => c.offset === chunk.offset);
          const same =
            original !== undefined &&
            original.id.toString() === chunk.id.toString() &&
            sameBytes(original.ipc, chunk.ipc);
          if (same) continue;
          // The format has no per-message checksum: a flip inside a payload's data bytes (pixels, an id) can
          // load as a different but well-formed chunk. That may only be the message holding the flipped byte.
          expect(chunk.offset, `${label}: unexpected chunk at ${chunk.offset}`).toBe(hitOffset);
          damagedButLoaded++;
        }
        // A damaged chunk the reader accepted must be queryable without anything but StoreError (the chunks
        // equal to the intact ones are queried by the reference load).
        if (damagedButLoaded > damagedBefore) queryAll(result.stores);
        // Every chunk before the damaged message loads unchanged (prefix consistency).
        const before = file.load.chunks.filter((c) => c.offset < (hitOffset >= 0 ? hitOffset : 0));
        for (const c of before) {
          const loaded = result.chunks.find((l) => l.offset === c.offset);
          expect(
            loaded !== undefined && sameBytes(loaded.ipc, c.ipc),
            `${label}: lost chunk at ${c.offset}`,
          ).toBe(true);
        }
        lostChunks += file.load.chunks.length - result.chunks.length;
        // A lost or skipped message is always explained by a warning or a rejected chunk.
        if (result.chunks.length < file.load.chunks.length) {
          expect(result.warnings.length + result.rejected, `${label}: data lost silently`).toBeGreaterThan(0);
        }
      }
      summary.push(
        `${file.name}: ${thrown} header errors, ${damagedButLoaded} undetectable, ${lostChunks} lost`,
      );
    }
    expect(summary).toHaveLength(allExamples.length);
  }, 180_000);

  it("hostile payload lengths (2^63, 2^40) give a warning, not an allocation", () => {
    const file = intact.find((f) => f.name === "image_row_updates")!;
    for (const length of [2n ** 63n, 2n ** 40n, 2n ** 64n - 1n]) {
      for (const kind of [MessageKind.SetStoreInfo, MessageKind.ArrowMsg, MessageKind.End]) {
        const header = new Uint8Array(MESSAGE_HEADER_BYTES);
        const view = new DataView(header.buffer);
        view.setBigUint64(0, BigInt(kind), true);
        view.setBigUint64(8, length, true);
        // The intact file, then the hostile header, then some bytes.
        const bytes = new Uint8Array(file.bytes.length + header.length + 100);
        bytes.set(file.bytes);
        bytes.set(header, file.bytes.length);
        const before = process.memoryUsage().arrayBuffers;
        const result = load(bytes);
        const grown = process.memoryUsage().arrayBuffers - before;
        const label = `kind ${kind} length ${length}`;
        expect(grown, label).toBeLessThan(64 * 1024 * 1024);
        expect(result.chunks.length, label).toBe(file.load.chunks.length);
        expect(
          result.warnings.map((w) => w.kind),
          label,
        ).toEqual(["message-too-large"]);
        expect(result.warnings[0]!.offset, label).toBe(file.bytes.length);
        expect(result.warnings[0]!.message, label).toContain(`declares ${length} payload bytes`);
      }
    }
    // A header-only stream with a hostile length right after the stream header.
    const lone = new Uint8Array(STREAM_HEADER_BYTES + MESSAGE_HEADER_BYTES);
    lone.set(encodeStreamHeader({ version: RERUN_VERSION, compression: "none" }));
    new DataView(lone.buffer).setBigUint64(STREAM_HEADER_BYTES + 8, 2n ** 40n, true);
    new DataView(lone.buffer).setBigUint64(STREAM_HEADER_BYTES, 2n, true);
    const result = load(lone);
    expect(result.warnings.map((w) => w.kind)).toEqual(["message-too-large"]);
    expect(result.chunks).toEqual([]);
  });

  it("a length under the limit but past EOF is a truncation, not an allocation", () => {
    const bytes = new Uint8Array(STREAM_HEADER_BYTES + MESSAGE_HEADER_BYTES + 10);
    bytes.set(encodeStreamHeader({ version: RERUN_VERSION, compression: "none" }));
    const view = new DataView(bytes.buffer);
    view.setBigUint64(STREAM_HEADER_BYTES, 2n, true);
    view.setBigUint64(STREAM_HEADER_BYTES + 8, BigInt(512 * 1024 * 1024), true);
    const before = process.memoryUsage().arrayBuffers;
    const result = load(bytes);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.kind).toBe("truncated");
    expect(result.warnings[0]!.offset).toBe(STREAM_HEADER_BYTES);
    expect(result.warnings[0]!.lostBytes).toBe(MESSAGE_HEADER_BYTES + 10);
  });
});

/** The stream up to its End message: Iris writes End + RrdFooter + StreamFooter at the end of every file. */
function withoutFooter(bytes: Uint8Array): Uint8Array {
  const trailer = parseStreamFooter(bytes.subarray(bytes.length - STREAM_FOOTER_BYTES));
  const end =
    bytes.length - STREAM_FOOTER_BYTES - Number(trailer.rrdFooterLengthBytes) - MESSAGE_HEADER_BYTES;
  return bytes.subarray(0, end);
}
