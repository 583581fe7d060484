// Live streaming both ways with the real Rerun 0.41:
// - Rerun's Python SDK `connect_grpc()` → `iris serve` → an Iris gRPC reader: every frame arrives intact.
// - The Iris SDK `connect()` → Rerun's own gRPC server (`rerun --serve-grpc --save FILE`, headless) → Rerun's
//   saving client writes what it received; Rerun's RrdReader reads every frame back intact.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import type { ArrowMsgMessage } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { ImageBufferType } from "@iris/types";
import { startReader } from "../live/live-helpers.ts";
import { type ServeProcess, startServe } from "../live/serve-process.ts";
import { startRerunGrpcServer } from "./rerun-grpc-server.ts";
import { python } from "./rerun-venv.ts";

const FRAMES = 8;
let dir: string;
const cleanup: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "iris-rerun-live-"));
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

it("Rerun's Python SDK connect_grpc() → iris serve → an Iris reader receives every frame intact", async () => {
  const serve: ServeProcess = await startServe(["--port", "0", "--no-viewer"]);
  cleanup.push(() => serve.kill());
  const reader = startReader(serve.baseUrl);
  cleanup.push(() => reader.stop());
  await python("log_live.py", [serve.proxyUrl, dir, String(FRAMES)]);
  const frames = (messages: readonly { kind: string }[]): Map<string, Uint8Array> => {
    const out = new Map<string, Uint8Array>();
    for (const m of messages.filter((x): x is ArrowMsgMessage => x.kind === "arrowMsg")) {
      const chunk = chunkFromIpc(m.ipc);
      const frame = chunk.timelines.get("frame");
      for (let row = 0; row < chunk.numRows; row++) {
        for (const component of ["Image:buffer", "DepthImage:buffer"]) {
          const buffer = chunk.componentValues(component, row, ImageBufferType);
          if (buffer?.[0] && frame) out.set(`${chunk.entityPath}@${frame.times[row]}`, buffer[0]);
        }
      }
    }
    return out;
  };
  await reader.waitFor((messages) => frames(messages).size >= 2 * FRAMES, 60_000);
  const got = frames(reader.messages);
  const stores = new Set(reader.messages.map((m) => ("storeId" in m ? m.storeId.recordingId : "")));
  expect(stores.has("oracle-live")).toBe(true);
  for (let t = 0; t < FRAMES; t++) {
    expect(got.get(`/camera/rgb@${t}`), `rgb ${t}`).toEqual(
      new Uint8Array(await readFile(path.join(dir, `live_rgb_${t}.bin`))),
    );
    expect(got.get(`/camera/depth@${t}`), `depth ${t}`).toEqual(
      new Uint8Array(await readFile(path.join(dir, `live_depth_${t}.bin`))),
    );
  }
}, 120_000);

it("the Iris SDK connect() → Rerun's gRPC server (rerun --serve-grpc) → Rerun's client saves every frame intact", async () => {
  const saved = path.join(dir, "rerun-received.rrd");
  const server = await startRerunGrpcServer(["--save", saved]);
  const stop = server.stop;
  cleanup.push(stop);

  const rec = new RecordingStream({ applicationId: "rerun_example_iris_live", recordingId: "iris-live" });
  const sink = connect(server.proxyUrl, rec, { flushOnExit: false });
  const sent: string[] = [];
  for (let t = 0; t < FRAMES; t++) {
    const pixels = new Uint8Array(40 * 30 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + t * 31) & 255;
    rec.setTimeSequence("frame", t);
    rec.log("camera", new Image(pixels, { width: 40, height: 30, colorModel: "RGB" }));
    sent.push(sha256(pixels));
  }
  rec.flush(); // hand the batched rows to the sink before closing it
  await sink.closed(30_000);
  expect(sink.stats.ackedMessages).toBe(sink.stats.sentMessages);

  // Rerun's saving client writes each message as it arrives; wait for every frame, then stop the server.
  type Read = { chunks: { entity: string; times: Record<string, string>; sha256: string }[] };
  let read: Read = { chunks: [] };
  const readDeadline = Date.now() + 30_000;
  while (Date.now() < readDeadline && read.chunks.length < FRAMES) {
    await new Promise((r) => setTimeout(r, 250));
    if (!existsSync(saved)) continue;
    // Rerun is still writing the file: a half-written last message, or no recording store yet, makes the reader
    // script exit 1 ("exceeds file size", "No recording store found"), which here only means "not yet". The read
    // after stop() below is the one that must succeed.
    read = await python("read_image_columns.py", [saved]).then(
      (out) => JSON.parse(out) as Read,
      () => read,
    );
  }
  await stop();
  read = JSON.parse(await python("read_image_columns.py", [saved])) as Read;
  const received = read.chunks
    .filter((c) => c.entity === "/camera")
    .sort((a, b) => Number(a.times.frame) - Number(b.times.frame));
  expect(received.map((c) => c.times.frame)).toEqual(sent.map((_, t) => String(t)));
  expect(received.map((c) => c.sha256)).toEqual(sent);
  expect(server.log()).not.toMatch(/ERROR|panicked/);
}, 120_000);
