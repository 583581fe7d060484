// The dataframe table of a recording read on demand (HTTP Range requests, ?lazy=on) lists every row of the file,
// as the same file loaded whole (?lazy=off) does: the same header and row count, "indexing rows: k of n chunks"
// above the table while chunks with several times are read, and after scrolling, the rows in view show the values
// the whole-loaded table shows (placeholders "…" until their chunks are read), within the memory budget.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RecordingStream, TimeColumn } from "@iris/sdk";
import { column, float32Component } from "@iris/sdk/advanced";
import { FileSink } from "@iris/sdk/node";
import { ViewerServer } from "@iris/server";
import { IrisViewerHarness } from "./viewer-harness.ts";

const scalar = float32Component("rerun.components.Scalar");
const SCALARS = {
  component: "Scalars:scalars",
  archetype: "rerun.archetypes.Scalars",
  componentType: scalar.name,
};
const BUDGET_MIB = 0.25;
const ROW_HEIGHT = 52;

type Viewer = {
  irisViewer: {
    recordings: {
      done: boolean;
      store: { stats(): { bytes: number } };
      lazy?: { loader: { counters: { evictions: number } } };
    }[];
    dataframe: { rowCount: number };
  };
};

let harness: IrisViewerHarness;
let server: ViewerServer;
let recordingPath = "";
const dir = mkdtempSync(join(tmpdir(), "iris-lazy-dataframe-"));

/**
 * /a: 80 chunks of 60 rows (interleaved frame times, 64 floats a row), /b: 300 chunks of one row and 10 of four
 * rows at one time — ~1.3 MB decoded, so a 256 KiB budget keeps only part of it.
 */
function writeRecording(path: string): void {
  const rec = new RecordingStream({
    applicationId: "lazy_table",
    sink: new FileSink(path),
    defaultTimelines: false,
  });
  for (let c = 0; c < 80; c++) {
    const frames = Array.from({ length: 60 }, (_, i) => c * 100 + ((i * 37) % 150));
    rec.sendColumns(
      "a",
      [new TimeColumn("frame", { sequence: frames })],
      [
        column(
          SCALARS,
          scalar,
          frames.map((f) => Array.from({ length: 64 }, (_, k) => f * 2 + k)),
        ),
      ],
    );
  }
  for (let i = 0; i < 300; i++) {
    const frame = (i * 7919) % 8100;
    rec.sendColumns(
      "b",
      [new TimeColumn("frame", { sequence: [frame] })],
      [column(SCALARS, scalar, [[-frame]])],
    );
  }
  for (let i = 0; i < 10; i++) {
    const frames = new Array<number>(4).fill(9000 + i);
    rec.sendColumns(
      "b",
      [new TimeColumn("frame", { sequence: frames })],
      [
        column(
          SCALARS,
          scalar,
          frames.map((f, k) => [f + k / 4]),
        ),
      ],
    );
  }
  rec.close();
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  writeRecording(join(dir, "table.rrd"));
  server = new ViewerServer({ viewerDir: inject("viewerDist"), port: 0 });
  recordingPath = server.addFile(join(dir, "table.rrd"));
  await server.listen();
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Table {
  header: string[];
  rowCount: number;
  /** The cells of the rows asked for, by index value. */
  rows: Map<string, string[]>;
}

/** Opens the file with `lazy`, shows the table and reads its header, row count and the given rows after scrolling. */
async function openTable(lazy: "on" | "off", rowIndexes: (count: number) => number[]): Promise<Table> {
  const page = harness.page;
  // The whole load keeps its default budget (with 256 KiB it would evict rows: not the reference).
  const budget = lazy === "on" ? `&memoryBudgetMB=${BUDGET_MIB}` : "";
  await page.goto(`${server.url}/?url=${encodeURIComponent(recordingPath)}&lazy=${lazy}${budget}`);
  await page.waitForFunction(() => (globalThis as unknown as Viewer).irisViewer?.recordings[0]?.done);
  // Record every line said above the table and whether a cell ever showed as pending.
  await page.evaluate(() => {
    const g = globalThis as unknown as { notices: string[]; pendingSeen: boolean };
    g.notices = [];
    g.pendingSeen = false;
    const observer = new MutationObserver(() => {
      const notice = document.querySelector<HTMLElement>(".iris-df-notice");
      const text = notice && !notice.hidden ? (notice.textContent ?? "") : "";
      if (text !== "" && g.notices[g.notices.length - 1] !== text) g.notices.push(text);
      if (document.querySelector(".iris-df-pending")) g.pendingSeen = true;
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  await page.click(".iris-tabs button[data-mode=dataframe]");
  await page.waitForSelector(".iris-df-row");
  // Indexed: nothing said above the table any more.
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".iris-df-notice")?.hidden === true);
  const header = await page.$$eval(".iris-df-header .iris-df-cell", (cells) =>
    cells.map((c) => c.textContent ?? ""),
  );
  const rowCount = await page.evaluate(() => (globalThis as unknown as Viewer).irisViewer.dataframe.rowCount);
  const rows = new Map<string, string[]>();
  for (const index of rowIndexes(rowCount)) {
    await page.$eval(".iris-df-scroller", (s, top) => (s.scrollTop = top), index * ROW_HEIGHT);
    // The row in view, once none of its cells is a placeholder.
    const selector = `.iris-df-row[style*="top: ${index * ROW_HEIGHT}px"]`;
    await page.waitForFunction(
      (sel) => {
        const row = document.querySelector(sel);
        return row !== null && row.querySelector(".iris-df-pending") === null;
      },
      selector,
      { timeout: 30_000 },
    );
    const cells = await page.$$eval(`${selector} .iris-df-cell`, (c) => c.map((x) => x.textContent ?? ""));
    rows.set(cells[0]!, cells);
  }
  return { header, rowCount, rows };
}

describe("the dataframe table of a recording read on demand", () => {
  it("lists every row of the file, and the rows scrolled to show the whole-loaded table's values", async () => {
    // The last row, then rows all over the table (far apart: each needs other chunks).
    const picks = (count: number): number[] => [
      count - 1,
      ...Array.from({ length: 10 }, (_, i) => Math.floor(((i + 0.5) * count) / 10)),
      3,
    ];
    const whole = await openTable("off", picks);
    expect(whole.rowCount).toBeGreaterThan(3000);
    expect(whole.header).toEqual(["frame", "/a\nScalars:scalars", "/b\nScalars:scalars"]);
    expect(harness.console.problems()).toEqual([]);

    const lazy = await openTable("on", picks);
    const notices = await harness.page.evaluate(
      () => (globalThis as unknown as { notices: string[] }).notices,
    );
    // Only /a's chunks have several times: 80 to read, in batches, the count growing to all of them.
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice).toMatch(/^indexing rows: \d+ of 80 chunks$/);
    expect(lazy.header).toEqual(whole.header);
    expect(lazy.rowCount).toBe(whole.rowCount);
    expect([...lazy.rows.keys()]).toEqual([...whole.rows.keys()]);
    for (const [time, cells] of whole.rows) {
      expect(lazy.rows.get(time), time).toEqual(cells);
      // Real values, not empty: the last row has /b's value, the others at least one value.
      expect(
        cells.slice(1).some((c) => c !== ""),
        time,
      ).toBe(true);
    }
    // Rows far away were shown as pending before their chunks arrived, and memory stayed within the budget.
    expect(
      await harness.page.evaluate(() => (globalThis as unknown as { pendingSeen: boolean }).pendingSeen),
    ).toBe(true);
    const resident = await harness.page.evaluate(
      () => (globalThis as unknown as Viewer).irisViewer.recordings[0]!.store.stats().bytes,
    );
    expect(resident).toBeLessThanOrEqual(BUDGET_MIB * 1024 * 1024);
    const evictions = await harness.page.evaluate(
      () => (globalThis as unknown as Viewer).irisViewer.recordings[0]!.lazy?.loader.counters.evictions,
    );
    expect(evictions).toBeGreaterThan(0);
    expect(harness.console.problems()).toEqual([]);
  }, 240_000);

  it("reads no cells while the table is hidden, and lets go of the chunks of its rows in view", async () => {
    // The page still shows the on-demand recording of the test above, on the Dataframe tab.
    const calls = await harness.page.evaluate(async () => {
      type Loader = { ensureRange(...a: unknown[]): Promise<unknown>; releaseRange(): void };
      const w = globalThis as unknown as {
        irisViewer: {
          recordings: { lazy?: { loader: Loader } }[];
          setMode(mode: string): void;
          time: { setTime(t: bigint): void };
        };
      };
      const loader = w.irisViewer.recordings[0]!.lazy!.loader;
      const count = { ensureRange: 0, releaseRange: 0 };
      const ensureRange = loader.ensureRange.bind(loader);
      const releaseRange = loader.releaseRange.bind(loader);
      loader.ensureRange = (...a: unknown[]) => (count.ensureRange++, ensureRange(...a));
      loader.releaseRange = () => (count.releaseRange++, releaseRange());
      w.irisViewer.setMode("views");
      const hidden = { ...count };
      for (const t of [5n, 4000n, 7000n]) {
        w.irisViewer.time.setTime(t);
        await new Promise((r) => setTimeout(r, 50));
      }
      const scrubbed = { ...count };
      w.irisViewer.setMode("dataframe");
      await new Promise((r) => setTimeout(r, 50));
      return { hidden, scrubbed, shown: { ...count } };
    });
    expect(calls.hidden).toEqual({ ensureRange: 0, releaseRange: 1 });
    expect(calls.scrubbed).toEqual(calls.hidden);
    expect(calls.shown.ensureRange).toBeGreaterThan(0);
  });
});
