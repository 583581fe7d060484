// Reads back the Iris viewer's 2D views from a page (as tests/browser/viewer/viewer-harness.ts does).
import type { Page } from "playwright-core";
import { type ViewSnapshot, shownPixel } from "../viewer/viewer-harness.ts";

export async function readViews(page: Page): Promise<ViewSnapshot[]> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const raw = await page.evaluate(() => {
    type View = {
      root: string;
      drawnImages: {
        entityPath: string;
        x: number;
        y: number;
        scale: number;
        format: { width: number; height: number };
      }[];
      readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array };
    };
    const base64 = (bytes: Uint8Array): string => {
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000)
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const v = (globalThis as unknown as { irisViewer?: { spatialViews: Map<string, View> } }).irisViewer;
    if (!v) return [];
    return [...v.spatialViews.values()].map((view) => {
      const px = view.readCanvasPixels();
      return {
        root: view.root,
        drawn: view.drawnImages.map((d) => ({
          entityPath: d.entityPath,
          x: d.x,
          y: d.y,
          scale: d.scale,
          width: d.format.width,
          height: d.format.height,
        })),
        width: px.width,
        height: px.height,
        scale: px.scale,
        rgba: base64(px.rgba),
      };
    });
  });
  return raw.map((r) => ({ ...r, rgba: new Uint8Array(Buffer.from(r.rgba, "base64")) }));
}

export const shownPixelOf = shownPixel;
