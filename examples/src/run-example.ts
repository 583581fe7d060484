import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";

export interface Example {
  /** File name stem, as Rerun's snippet (`image_simple`, …). */
  readonly name: string;
  /** Rerun's application id for the snippet. */
  readonly applicationId: string;
  run(rec: RecordingStream): void | Promise<void>;
}

/** Runs an example into a `.rrd` file and returns its path. */
export async function writeExample(example: Example, outPath: string): Promise<string> {
  const rec = new RecordingStream({ applicationId: example.applicationId });
  save(outPath, rec);
  await example.run(rec);
  rec.close();
  return outPath;
}

/** When the module is run directly (`tsx examples/src/image_simple.ts --out x.rrd`), writes the example. */
export async function runIfMain(moduleUrl: string, example: Example): Promise<void> {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(resolve(entry)).href !== moduleUrl) return;
  const outIndex = process.argv.indexOf("--out");
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  const path = resolve(out ?? `examples/out/${example.name}.rrd`);
  await writeExample(example, path);
  process.stdout.write(`wrote ${path}\n`);
}
