/**
 * Kill -9 `iris serve` in the middle of a stream and start it again on the same port: the producer's GrpcSink
 * must reconnect (with back-off) and resend everything the dead server had not acknowledged, so that what the
 * readers of the first and the second server saw together covers every frame that was logged.
 */
import { expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { connect, type GrpcSinkEvent } from "@iris/sdk/node";
import { freePort, imagesOf, liveTestContext, type Reader, startReader } from "./live-helpers.ts";
import { type ServeProcess, startServe } from "./serve-process.ts";

const { cleanup } = liveTestContext();

async function serve(port: number): Promise<ServeProcess> {
  const s = await startServe(["--port", String(port), "--no-viewer"]);
  cleanup.push(() => s.kill("SIGKILL"));
  return s;
}

function reader(url: string): Reader {
  const r = startReader(url);
  cleanup.push(() => r.stop());
  return r;
}

/** Frame `i` is an 8×8 grey image whose pixels all equal i (i < 256). */
const frame = (i: number): Image =>
  new Image(new Uint8Array(64).fill(i), { width: 8, height: 8, colorModel: "L" });
const framesSeen = (r: Reader): Set<number> =>
  new Set(imagesOf(r.messages, "frame").map((img) => img.pixels[0]!));

it("reconnects after the server is killed and restarted, losing no unacknowledged frame", async () => {
  const port = await freePort();
  const first = await serve(port);
  const reader1 = reader(first.baseUrl);
  const events: GrpcSinkEvent["type"][] = [];
  // No recording properties: the counts below are SetStoreInfo + one message per frame.
  const rec = new RecordingStream({
    applicationId: "reconnect_test",
    recordingId: "reconnect",
    sendProperties: false,
  });
  const sink = connect(first.proxyUrl, rec, {
    minBackoffMs: 50,
    maxBackoffMs: 400,
    ackIntervalMs: 50,
    onEvent: (e) => events.push(e.type),
  });
  cleanup.push(() => sink.closed(1_000));

  const total = 250;
  let logged = 0;
  const producer = (async () => {
    for (; logged < total; logged++) {
      rec.setTimeSequence("frame", logged);
      rec.log("counter", frame(logged));
      rec.flush();
      await new Promise((r) => setTimeout(r, 10));
    }
  })();

  // Let the first reader catch up with what the first server acknowledged so far (the producer keeps going).
  await reader1.waitFor(() => framesSeen(reader1).size >= 30);
  const ackedBefore = sink.stats.ackedMessages;
  await reader1.waitFor(() => framesSeen(reader1).size >= ackedBefore - 1);
  // Freeze the server (SIGSTOP) so that the frames logged next are sent but cannot be acknowledged, then kill -9
  // it: without the freeze, a fast server may have acknowledged every logged frame by the time it dies, and the
  // test would not exercise the resend of in-flight frames at all.
  const loggedAtStop = logged;
  first.child.kill("SIGSTOP");
  while (logged < Math.min(total, loggedAtStop + 5)) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  await first.kill("SIGKILL");
  const ackedAtKill = sink.stats.ackedMessages;
  const loggedAtKill = logged;
  expect(loggedAtKill).toBeLessThan(total);
  await new Promise((r) => setTimeout(r, 600)); // the producer keeps logging into its queue meanwhile
  expect(sink.stats.queuedMessages).toBeGreaterThan(0);
  const second = await serve(port);
  const reader2 = reader(second.baseUrl);
  await producer;
  rec.flush();
  await sink.flushed(30_000);
  await reader2.waitFor(() => framesSeen(reader2).has(total - 1));

  const stats = sink.stats;
  expect(stats.reconnects).toBeGreaterThanOrEqual(1);
  expect(stats.droppedMessages).toBe(0);
  expect(stats.rejectedMessages).toBe(0);
  expect(stats.queuedMessages).toBe(0);
  expect(events).toContain("disconnected");

  // Acknowledged by the first server (SetStoreInfo + one message per frame, in order) and read back from it.
  const seen1 = framesSeen(reader1);
  const ackedFrames = Array.from({ length: ackedBefore - 1 }, (_, i) => i);
  expect(ackedFrames.filter((i) => !seen1.has(i))).toEqual([]);
  // Every frame the first server had not acknowledged when it died was resent to the second one. (Frames it did
  // acknowledge but had not yet forwarded died with its memory, as with Rerun's own proxy.)
  const seen2 = framesSeen(reader2);
  const unacknowledged = Array.from({ length: total - (ackedAtKill - 1) }, (_, i) => ackedAtKill - 1 + i);
  expect(unacknowledged.length).toBeGreaterThan(total - loggedAtKill);
  expect(unacknowledged.filter((i) => !seen2.has(i))).toEqual([]);
  // The second server learnt the recording again (SetStoreInfo replayed first).
  expect(reader2.messages[0]).toMatchObject({ kind: "setStoreInfo", storeId: { recordingId: "reconnect" } });
}, 120_000);
