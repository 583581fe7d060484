import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import { decodeRrd } from "@iris/rrd";
import { ImageBufferType, ImageFormatType } from "@iris/types";
import { type ChromiumSession, launchChromium } from "../chromium.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";

let session: ChromiumSession;
let server: StaticServer;
let bundleText = "";

beforeAll(async () => {
  // Bundled for the browser platform: any Node-only import in the SDK's browser path fails this build.
  const result = await build({
    entryPoints: [join(import.meta.dirname, "sdk-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  bundleText = result.outputFiles[0]!.text;
  const sources = await build({
    entryPoints: [join(import.meta.dirname, "image-sources-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  server = await startStaticServer({
    roots: [],
    files: new Map([
      ["/sdk.js", { body: new TextEncoder().encode(bundleText), contentType: "text/javascript" }],
      ["/sources.js", { body: sources.outputFiles[0]!.contents, contentType: "text/javascript" }],
      [
        "/sources.html",
        {
          body: new TextEncoder().encode('<!doctype html><script type="module" src="/sources.js"></script>'),
          contentType: "text/html",
        },
      ],
      [
        "/index.html",
        {
          body: new TextEncoder().encode('<!doctype html><script type="module" src="/sdk.js"></script>'),
          contentType: "text/html",
        },
      ],
    ]),
  });
  session = await launchChromium();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe("the SDK in a browser", () => {
  it("logs Images into in-memory .rrd bytes and a Blob that decode in Node", async () => {
    expect(bundleText).not.toMatch(/from\s*["']node:/);
    const { page } = await session.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(
      () => typeof (globalThis as unknown as { runSdk?: unknown }).runSdk === "function",
    );
    const out = await page.evaluate(() =>
      (
        globalThis as unknown as { runSdk(): { rrdBase64: string; blobSize: number; blobType: string } }
      ).runSdk(),
    );
    const bytes = new Uint8Array(Buffer.from(out.rrdBase64, "base64"));
    expect(out.blobSize).toBe(bytes.length);
    expect(out.blobType).toBe("application/octet-stream");
    const { messages, warnings } = decodeRrd(bytes);
    expect(warnings).toEqual([]);
    expect(messages[0]!.kind).toBe("setStoreInfo");
    const chunks = messages.filter((m) => m.kind === "arrowMsg").map((m) => chunkFromIpc(m.ipc));
    const canvas = chunks.find((c) => c.entityPath === "/canvas")!;
    expect(canvas.componentValues("Image:format", 0, ImageFormatType)).toEqual([
      { width: 4, height: 2, colorModel: 3, channelDatatype: 6 },
    ]);
    const pixels = canvas.componentValues("Image:buffer", 0, ImageBufferType)![0]!;
    expect(Array.from(pixels.subarray(0, 4))).toEqual([255, 0, 0, 255]);
    expect(Array.from(pixels.subarray(8, 12))).toEqual([0, 0, 255, 255]);
    expect([...canvas.timelines.get("frame")!.times]).toEqual([7n]);
    const depth = chunks.find((c) => c.entityPath === "/depth")!;
    expect(depth.isStatic).toBe(true);
    expect(depth.componentValues("Image:format", 0, ImageFormatType)).toEqual([
      { width: 2, height: 2, colorModel: 1, channelDatatype: 34 },
    ]);
    const frames = chunks.find((c) => c.entityPath === "/frames")!;
    expect(frames.numRows).toBe(2);
    expect(Array.from(frames.componentValues("Image:buffer", 1, ImageBufferType)![0]!)).toEqual([5, 6, 7, 8]);
  });
});

describe("browser image sources", () => {
  it("turn a canvas, ImageData, ImageBitmap and VideoFrame into RGBA8 Images, and compress to JPEG", async () => {
    const { page } = await session.newPage();
    await page.goto(`${server.url}/sources.html`);
    await page.waitForFunction(
      () => typeof (globalThis as unknown as { runImageSources?: unknown }).runImageSources === "function",
    );
    const out = (await page.evaluate(() =>
      (globalThis as unknown as { runImageSources(): Promise<Record<string, unknown>> }).runImageSources(),
    )) as Record<
      string,
      { width: number; height: number; colorModel: number; first: number[]; last: number[] }
    > & {
      jpeg: { mediaType: string; magic: number[]; size: number };
    };
    for (const name of ["canvas", "imageData", "bitmap", "videoFrame"]) {
      const s = out[name]!;
      expect([s.width, s.height, s.colorModel], name).toEqual([8, 4, 3]);
      expect(s.first, name).toEqual([255, 0, 0, 255]);
      expect(s.last, name).toEqual([0, 0, 255, 255]);
    }
    expect(out.jpeg.mediaType).toBe("image/jpeg");
    expect(out.jpeg.magic).toEqual([0xff, 0xd8, 0xff]);
    expect(out.jpeg.size).toBeGreaterThan(100);
  });
});
