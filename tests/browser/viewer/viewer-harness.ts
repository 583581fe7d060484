import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { inject } from "vitest";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";

/** What a view drew, as the page reports it. */
export interface ViewSnapshot {
  root: string;
  drawn: { entityPath: string; x: number; y: number; scale: number; width: number; height: number }[];
  width: number;
  height: number;
  scale: number;
  rgba: Uint8Array;
}

/**
 * Builds the Iris viewer, serves it (plus a data directory) on 127.0.0.1, and drives it in headless Chromium.
 */
export class IrisViewerHarness {
  private constructor(
    private readonly session: ChromiumSession,
    readonly server: StaticServer,
    readonly dataDir: string,
    readonly page: Page,
    readonly console: ConsoleCollector,
  ) {}

  static async start(options: { width?: number; height?: number } = {}): Promise<IrisViewerHarness> {
    const dist = inject("viewerDist"); // built once per run (../build-viewer-once.ts)
    const dataDir = mkdtempSync(join(tmpdir(), "iris-viewer-data-"));
    const server = await startStaticServer({
      roots: [
        { prefix: "/data/", dir: dataDir },
        { prefix: "/", dir: dist },
      ],
    });
    // 1500 px wide: the views between the left panel and the selection panel are about 1000 px, as the whole
    // page was before the panels (pixel-exact suites compare at those scales).
    const session = await launchChromium({ width: options.width ?? 1500, height: options.height ?? 800 });
    const { page, console } = await session.newPage();
    return new IrisViewerHarness(session, server, dataDir, page, console);
  }

  /** Opens the viewer page with `?url=` for each data file and waits until every recording is loaded. */
  async open(files: readonly string[]): Promise<void> {
    const query = files.map((f) => `url=${encodeURIComponent(`/data/${f}`)}`).join("&");
    await this.page.goto(`${this.server.url}/?${query}`);
    await this.page.waitForFunction(
      (n) => {
        const v = (globalThis as unknown as { irisViewer?: { recordings: { done: boolean }[] } }).irisViewer;
        return v !== undefined && v.recordings.length === n && v.recordings.every((r) => r.done);
      },
      files.length,
      { timeout: 60_000 },
    );
  }

  /** Waits until the views have drawn `predicate`-satisfying content, then reads every view back. */
  async snapshot(minImages = 1): Promise<ViewSnapshot[]> {
    await this.page.waitForFunction(
      (min) => {
        const v = (
          globalThis as unknown as { irisViewer?: { spatialViews: Map<string, { drawnImages: unknown[] }> } }
        ).irisViewer;
        if (!v) return false;
        let n = 0;
        for (const view of v.spatialViews.values()) n += view.drawnImages.length;
        return n >= min;
      },
      minImages,
      { timeout: 60_000 },
    );
    return readViewSnapshots(this.page);
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.server.close();
  }
}

/** The canvas colour at the centre of image pixel (x, y) of a drawn image. */
export function shownPixel(
  view: ViewSnapshot,
  drawn: ViewSnapshot["drawn"][number],
  x: number,
  y: number,
): number[] {
  const cx = Math.floor((drawn.x + (x + 0.5) * drawn.scale) * view.scale);
  const cy = Math.floor((drawn.y + (y + 0.5) * drawn.scale) * view.scale);
  const i = (cy * view.width + cx) * 4;
  return Array.from(view.rgba.subarray(i, i + 4));
}

/** Reads back every 2D view of the Iris viewer in `page` (after two animation frames). */
export async function readViewSnapshots(page: Page): Promise<ViewSnapshot[]> {
  // Two animation frames so that every view has rendered its latest state.
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
    const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
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
