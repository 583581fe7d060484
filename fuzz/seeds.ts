import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemorySink, RrdEncoder, decodeRrd } from "@iris/rrd";
import { allExamples } from "../examples/src/all-examples.ts";
import { moreExamples } from "../examples/src/more-examples.ts";
import { writeExample } from "../examples/src/run-example.ts";

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** Seeds up to this size are "small": most inputs start from one (they cost ~1 ms each; see fuzz-loop.ts). */
export const SMALL_SEED_BYTES = 64 << 10;

/**
 * The twelve example recordings (the five Image examples, then Pinhole, DepthImage, SegmentationImage,
 * EncodedImage and Transform3D ones) written by `writeExample` into a temporary directory, each re-encoded with
 * LZ4 on and with LZ4 off. 24 seeds from 8 KiB to 3.6 MiB.
 */
export async function exampleSeeds(): Promise<Seed[]> {
  const dir = mkdtempSync(join(tmpdir(), "iris-fuzz-seeds-"));
  try {
    const seeds: Seed[] = [];
    for (const example of [...allExamples, ...moreExamples]) {
      const path = await writeExample(example, join(dir, `${example.name}.rrd`));
      const { messages } = decodeRrd(new Uint8Array(readFileSync(path)));
      for (const compression of ["lz4", "none"] as const) {
        const sink = new MemorySink();
        const encoder = new RrdEncoder(sink, { compression });
        for (const message of messages) encoder.write(message);
        encoder.finish();
        seeds.push({ name: `${example.name}-${compression}`, bytes: sink.toBytes() });
      }
    }
    return seeds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
