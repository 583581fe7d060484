// Regenerates the stored reference PNGs (tests/reference/png) from the CPU reference decoder. Run after an
// example changes: `npx tsx tests/reference/make-reference-pngs.ts`. tests/reference/reference-pngs.test.ts
// fails when the stored files and the CPU reference disagree.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { REFERENCE_DIR, computeReferenceImages, referenceFileName } from "./reference-images.ts";

for (const image of await computeReferenceImages()) {
  const dir = join(REFERENCE_DIR, image.example);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, referenceFileName(image.entityPath));
  await sharp(image.rgba, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ compressionLevel: 9 })
    .toFile(file);
  process.stdout.write(`${file}\n`);
}
