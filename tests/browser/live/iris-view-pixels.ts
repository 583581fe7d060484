// Reads back the Iris viewer's 2D views from a page: the same reader the viewer harness uses.
import type { Page } from "playwright-core";
import { type ViewSnapshot, readViewSnapshots, shownPixel } from "../viewer/viewer-harness.ts";

export async function readViews(page: Page): Promise<ViewSnapshot[]> {
  const exists = await page.evaluate(
    () => (globalThis as unknown as { irisViewer?: unknown }).irisViewer !== undefined,
  );
  return exists ? readViewSnapshots(page) : [];
}

export const shownPixelOf = shownPixel;
