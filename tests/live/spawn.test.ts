/**
 * `spawn()` / `serveWeb()` start `iris serve` when nothing listens on the port, connect the recording to it, and
 * reuse a running server on a second call.
 */
import { expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { serveWeb } from "@iris/sdk/node";
import { freePort, imagesOf, liveTestContext, startReader } from "./live-helpers.ts";

const { cleanup } = liveTestContext();

it("serveWeb starts iris serve, streams the recording to it, and a second call reuses it", async () => {
  const port = await freePort();
  const rec = new RecordingStream({ applicationId: "spawn_test", recordingId: "spawned" });
  const first = await serveWeb({ port }, rec);
  cleanup.push(() => first.pid !== undefined && process.kill(first.pid, "SIGKILL"));
  expect(first.started).toBe(true);
  expect(first.pid).toBeGreaterThan(0);
  expect(first.proxyUrl).toBe(`rerun+http://127.0.0.1:${port}/proxy`);
  expect(first.viewerUrl).toBe(`http://127.0.0.1:${port}/?url=${encodeURIComponent(first.proxyUrl)}`);

  for (let t = 0; t < 3; t++) {
    rec.setTimeSequence("time", t);
    rec.log("image", new Image(new Uint8Array(16).fill(10 * t), { width: 4, height: 4 }));
  }
  rec.flush();
  const reader = startReader(`http://127.0.0.1:${port}`);
  cleanup.push(() => reader.stop());
  await reader.waitFor((m) => imagesOf(m).length === 3, 60_000);
  expect(imagesOf(reader.messages).map((i) => i.pixels[0])).toEqual([0, 10, 20]);

  const rec2 = new RecordingStream({ applicationId: "spawn_test", recordingId: "second" });
  const second = await serveWeb({ port }, rec2);
  expect(second.started).toBe(false);
  expect(second.pid).toBeUndefined();
  rec2.close();
  rec.close();
}, 180_000);
