import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { chunkFromIpc } from "@iris/chunk";
import { decodeRrd } from "@iris/rrd";
import {
  BlobType,
  ImageBufferType,
  ImageFormatType,
  type ImageFormat,
  decodeImageToRgba8,
} from "@iris/types";
import { allExamples } from "../../examples/src/all-examples.ts";
import { writeExample } from "../../examples/src/run-example.ts";

/** The stored reference PNGs: tests/reference/png/<example>/<entity path with / → _>.png */
export const REFERENCE_DIR = join(import.meta.dirname, "png");

export interface ReferenceImage {
  example: string;
  entityPath: string;
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function referenceFileName(entityPath: string): string {
  return `${entityPath.replace(/^\//, "").replaceAll("/", "_")}.png`;
}

/**
 * What each example's entities must look like at the end of the recording, computed independently of any
 * viewer: raw Images through the CPU reference decoder, EncodedImages through libvips (sharp).
 */
export async function computeReferenceImages(): Promise<ReferenceImage[]> {
  const dir = mkdtempSync(join(tmpdir(), "iris-reference-"));
  const out: ReferenceImage[] = [];
  try {
    for (const example of allExamples) {
      const path = join(dir, `${example.name}.rrd`);
      await writeExample(example, path);
      const { messages } = decodeRrd(new Uint8Array(readFileSync(path)));
      const buffers = new Map<string, Uint8Array>();
      const formats = new Map<string, ImageFormat>();
      const blobs = new Map<string, Uint8Array>();
      for (const m of messages) {
        if (m.kind !== "arrowMsg") continue;
        const chunk = chunkFromIpc(m.ipc);
        for (let row = 0; row < chunk.numRows; row++) {
          const buffer = chunk.componentValues("Image:buffer", row, ImageBufferType)?.[0];
          const format = chunk.componentValues("Image:format", row, ImageFormatType)?.[0];
          const blob = chunk.componentValues("EncodedImage:blob", row, BlobType)?.[0];
          if (buffer) buffers.set(chunk.entityPath, buffer);
          if (format) formats.set(chunk.entityPath, format);
          if (blob) blobs.set(chunk.entityPath, blob);
        }
      }
      for (const [entityPath, bytes] of buffers) {
        const format = formats.get(entityPath)!;
        const rgba = new Uint8Array(decodeImageToRgba8(bytes, format).buffer);
        out.push({ example: example.name, entityPath, width: format.width, height: format.height, rgba });
      }
      for (const [entityPath, blob] of blobs) {
        const { data, info } = await sharp(blob).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        out.push({
          example: example.name,
          entityPath,
          width: info.width,
          height: info.height,
          rgba: new Uint8Array(data),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function readReferencePng(example: string, entityPath: string): Promise<ReferenceImage> {
  const file = join(REFERENCE_DIR, example, referenceFileName(entityPath));
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { example, entityPath, width: info.width, height: info.height, rgba: new Uint8Array(data) };
}
