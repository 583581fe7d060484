import type { Chunk } from "@iris/chunk";
import type { Lz4Codec } from "../lz4/index.ts";
import { chunkFromMessageBytes, chunkMessageSpan } from "../manifest/read-rrd-footer.ts";
import type { ManifestChunk } from "../manifest/rrd-manifest.ts";
import type { AsyncRandomAccessSource } from "./async-random-access-source.ts";

export interface RrdChunkReaderOptions {
  lz4?: Lz4Codec;
  /** Largest single read made by joining neighbouring chunks; default 32 MiB. */
  maxReadBytes?: number;
}

/**
 * Reads the chunks of manifest entries from an asynchronous source: chunks that lie back to back in the input
 * (MessageHeader + payload after MessageHeader + payload) are read with one request, each request checked as
 * `readChunkAt` checks it.
 */
export class RrdChunkReader {
  constructor(
    private readonly source: AsyncRandomAccessSource,
    private readonly options: RrdChunkReaderOptions = {},
  ) {}

  /** The chunks of `entries`, in the order given. */
  async read(entries: readonly ManifestChunk[]): Promise<Chunk[]> {
    const maxReadBytes = this.options.maxReadBytes ?? 32 << 20;
    const spans = entries.map((entry, index) => ({
      entry,
      index,
      span: chunkMessageSpan(entry, this.source.byteLength),
    }));
    spans.sort((a, b) => a.span.offset - b.span.offset);
    const runs: (typeof spans)[] = [];
    for (const s of spans) {
      const run = runs.at(-1);
      const last = run?.at(-1);
      if (
        run &&
        last &&
        last.span.offset + last.span.length === s.span.offset &&
        s.span.offset + s.span.length - run[0]!.span.offset <= maxReadBytes
      ) {
        run.push(s);
      } else {
        runs.push([s]);
      }
    }
    const out = new Array<Chunk>(entries.length);
    const lz4 = this.options.lz4 ? { lz4: this.options.lz4 } : {};
    await Promise.all(
      runs.map(async (run) => {
        const start = run[0]!.span.offset;
        const end = run.at(-1)!.span.offset + run.at(-1)!.span.length;
        const bytes = await this.source.read(start, end - start);
        for (const { entry, index, span } of run) {
          const at = span.offset - start;
          out[index] = chunkFromMessageBytes(bytes.subarray(at, at + span.length), entry, lz4);
        }
      }),
    );
    return out;
  }
}
