// Runs in the browser: turns a canvas, an ImageBitmap and a VideoFrame into Images and compresses one to JPEG.
import { Image } from "@iris/sdk";
import {
  compressImage,
  imageFromCanvas,
  imageFromImageBitmap,
  imageFromImageData,
  imageFromVideoFrame,
  offscreenCanvasJpegEncoder,
} from "@iris/sdk/browser";

interface Summary {
  width: number;
  height: number;
  colorModel: number | undefined;
  first: number[];
  last: number[];
}

function summarize(image: Image): Summary {
  const b = image.buffer!;
  return {
    width: image.format!.width,
    height: image.format!.height,
    colorModel: image.format!.colorModel,
    first: Array.from(b.subarray(0, 4)),
    last: Array.from(b.subarray(b.length - 4)),
  };
}

async function run(): Promise<Record<string, unknown>> {
  const canvas = document.createElement("canvas");
  canvas.width = 8;
  canvas.height = 4;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "rgb(255, 0, 0)";
  ctx.fillRect(0, 0, 4, 4);
  ctx.fillStyle = "rgb(0, 0, 255)";
  ctx.fillRect(4, 0, 4, 4);
  const bitmap = await createImageBitmap(canvas);
  const frame = new VideoFrame(canvas, { timestamp: 0 });
  const fromFrame = imageFromVideoFrame(frame);
  frame.close();
  const jpeg = await compressImage(
    new Image(new Uint8Array(64 * 64 * 3).fill(200), { width: 64, height: 64, colorModel: "RGB" }),
    { quality: 80, encoder: offscreenCanvasJpegEncoder() },
  );
  return {
    canvas: summarize(imageFromCanvas(canvas)),
    imageData: summarize(imageFromImageData(ctx.getImageData(0, 0, 8, 4))),
    bitmap: summarize(imageFromImageBitmap(bitmap)),
    videoFrame: summarize(fromFrame),
    jpeg: { mediaType: jpeg.mediaType, magic: Array.from(jpeg.blob.subarray(0, 3)), size: jpeg.blob.length },
  };
}

(globalThis as unknown as { runImageSources: typeof run }).runImageSources = run;
