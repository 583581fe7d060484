import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingStream, TimeColumn } from "@iris/sdk";
import { column, float32Component } from "@iris/sdk/advanced";
import { FileSink } from "@iris/sdk/node";
import { imageColumnUpdates } from "../../../examples/src/image_column_updates.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await writeExample(imageColumnUpdates, join(harness.dataDir, "columns.rrd"));
  // 100 000 rows of a scalar on one timeline, in one sendColumns call.
  const rec = new RecordingStream({
    applicationId: "many_rows",
    sink: new FileSink(join(harness.dataDir, "many.rrd")),
  });
  const n = 100_000;
  const times = Array.from({ length: n }, (_, i) => i);
  const scalar = float32Component("rerun.components.Scalar");
  rec.sendColumns(
    "signal",
    [new TimeColumn("frame", { sequence: times })],
    [
      column(
        { component: "Scalars:scalars", archetype: "rerun.archetypes.Scalars", componentType: scalar.name },
        scalar,
        times.map((t) => [t / 2]),
      ),
    ],
  );
  rec.close();
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("the dataframe view", () => {
  it("shows one row per index value with image thumbnails and format summaries; a click moves the time cursor", async () => {
    await harness.open(["columns.rrd"]);
    await harness.snapshot(1);
    await harness.page.click(".iris-tabs button[data-mode=dataframe]");
    await harness.page.waitForSelector(".iris-df-row");
    const header = await harness.page.$$eval(".iris-df-header .iris-df-cell", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(header).toEqual(["step", "/images\nImage:buffer", "/images\nImage:format"]);
    // A recording loaded whole: every row is listed, nothing to say.
    expect(await harness.page.$eval(".iris-df-notice", (e) => (e as HTMLElement).hidden)).toBe(true);
    const rowCount = await harness.page.evaluate(
      () =>
        (globalThis as unknown as { irisViewer: { dataframe: { rowCount: number } } }).irisViewer.dataframe
          .rowCount,
    );
    expect(rowCount).toBe(20);
    const firstRow = await harness.page.$$eval(".iris-df-row[data-time='0'] .iris-df-cell", (cells) =>
      cells.map((c) => c.textContent),
    );
    // The buffer cell: a thumbnail and the format summary; the static format shows in every row.
    expect(firstRow).toEqual(["#0", "300×200 RGB U8", "300×200 RGB U8"]);
    // The thumbnail is the image: blue, with the cyan rectangle on the left at t = 0.
    const thumb = await harness.page.$eval(".iris-df-row[data-time='0'] canvas.iris-df-thumb", (c) => {
      const canvas = c as HTMLCanvasElement;
      const ctx = canvas.getContext("2d")!;
      const at = (fx: number, fy: number): number[] =>
        Array.from(
          ctx.getImageData(Math.floor(fx * canvas.width), Math.floor(fy * canvas.height), 1, 1).data,
        );
      return { w: canvas.width, h: canvas.height, rect: at(0.15, 0.5), background: at(0.8, 0.5) };
    });
    expect([thumb.w, thumb.h]).toEqual([64, 43]);
    expect(thumb.rect).toEqual([0, 255, 255, 255]);
    expect(thumb.background).toEqual([0, 0, 255, 255]);

    await harness.page.click(".iris-df-row[data-time='7']");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("step #7");
    expect(await harness.page.$eval(".iris-df-current", (e) => (e as HTMLElement).dataset["time"])).toBe("7");
  });

  it("stays virtualised with 100 000 rows", async () => {
    await harness.open(["many.rrd"]);
    await harness.page.click(".iris-tabs button[data-mode=dataframe]");
    await harness.page.waitForSelector(".iris-df-row");
    const rowCount = await harness.page.evaluate(
      () =>
        (globalThis as unknown as { irisViewer: { dataframe: { rowCount: number } } }).irisViewer.dataframe
          .rowCount,
    );
    expect(rowCount).toBe(100_000);
    expect((await harness.page.$$(".iris-df-row")).length).toBeLessThan(60);
    await harness.page.$eval(".iris-df-scroller", (s) => (s.scrollTop = 52 * 77_000));
    await harness.page.waitForSelector(".iris-df-row[data-time='77000']");
    const cells = await harness.page.$$eval(".iris-df-row[data-time='77000'] .iris-df-cell", (c) =>
      c.map((x) => x.textContent),
    );
    expect(cells).toEqual(["#77000", "38500"]);
    expect((await harness.page.$$(".iris-df-row")).length).toBeLessThan(60);
  });
});
