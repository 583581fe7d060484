// Iris's `readMessages` (@iris/sdk/node) against Rerun 0.41's own gRPC message proxy (`rerun --serve-grpc`,
// headless): Rust's h2/tonic server side chooses its own HPACK and framing (not nghttp2's), so this checks the
// client against a second, independent HTTP/2 implementation. 1080p RGB frames are logged raw and LZ4-compressed
// (by the Iris SDK and by Rerun's Python SDK), read back as history and live, and compared byte for byte.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { RrdMessage } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { connect, readMessages } from "@iris/sdk/node";
import { imagesOf } from "../live/live-helpers.ts";
import { startRerunGrpcServer } from "./rerun-grpc-server.ts";
import { runProcess, venvPython } from "./rerun-venv.ts";

const WIDTH = 1920;
const HEIGHT = 1080;
let dir: string;
const cleanup: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "iris-rerun-read-"));
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts `rerun --serve-grpc` (stopped after the test, which fails if it logged an error); its proxy URL. */
async function startRerunProxy(): Promise<string> {
  const server = await startRerunGrpcServer();
  cleanup.push(async () => {
    await server.stop();
    expect(server.log()).not.toMatch(/ERROR|panicked/);
  });
  return server.proxyUrl;
}

/** 1080p RGB pixels: noise (LZ4 cannot shrink it, so it stays raw) or a compressible pattern. */
function pixelsOf(seed: number, noise: boolean): Uint8Array {
  const pixels = new Uint8Array(WIDTH * HEIGHT * 3);
  let x = seed * 2654435761;
  for (let p = 0; p < pixels.length; p++) {
    if (noise) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      pixels[p] = x >>> 24;
    } else {
      pixels[p] = ((p >> 12) + seed) & 255;
    }
  }
  return pixels;
}

/** Logs frames `times` with the Iris SDK into the proxy at `url`, with `compression`; the pixels by time. */
async function logWithIris(
  url: string,
  times: readonly number[],
  compression: "none" | "lz4",
): Promise<Map<bigint, Uint8Array>> {
  const rec = new RecordingStream({ applicationId: "read_back", recordingId: "iris", sendProperties: false });
  const sink = connect(url, rec, { compression, flushOnExit: false });
  const sent = new Map<bigint, Uint8Array>();
  for (const t of times) {
    const pixels = pixelsOf(t, t % 2 === 0);
    rec.setTimeSequence("frame", t);
    rec.log("camera", new Image(pixels, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }));
    rec.flush();
    sent.set(BigInt(t), pixels);
  }
  await sink.flushed(60_000);
  await sink.closed(60_000);
  expect(sink.stats.ackedMessages).toBe(sink.stats.sentMessages);
  return sent;
}

/** Logs frames `times` with Rerun's Python SDK (`connect_grpc`, LZ4 as Rerun compresses); the pixels by time. */
async function logWithRerunPython(url: string, times: readonly number[]): Promise<Map<bigint, Uint8Array>> {
  const program = `
import sys, numpy as np, rerun as rr
url, out, times = sys.argv[1], sys.argv[2], [int(t) for t in sys.argv[3].split(",")]
rec = rr.RecordingStream("read_back", recording_id="python")
rec.connect_grpc(url)
for t in times:
    # Left half noise, right half flat: LZ4 shrinks it, so Rerun sends it compressed.
    rgb = np.zeros((${HEIGHT}, ${WIDTH}, 3), dtype=np.uint8)
    rgb[:, : ${WIDTH / 2}] = np.random.default_rng(t).integers(0, 256, size=(${HEIGHT}, ${WIDTH / 2}, 3), dtype=np.uint8)
    rgb[:, ${WIDTH / 2} :] = t
    rec.set_time("frame", sequence=t)
    rec.log("python_camera", rr.Image(rgb))
    open(f"{out}/python_{t}.bin", "wb").write(rgb.tobytes())
rec.flush(timeout_sec=60)
rec.disconnect()
`;
  const result = await runProcess(venvPython, ["-c", program, url, dir, times.join(",")]);
  if (result.code !== 0) throw new Error(`the Rerun Python SDK failed to log:\n${result.stderr}`);
  const sent = new Map<bigint, Uint8Array>();
  for (const t of times)
    sent.set(BigInt(t), new Uint8Array(await readFile(path.join(dir, `python_${t}.bin`))));
  return sent;
}

/** Each image of `entity` read, by time (the last one wins: Rerun's proxy sends each message once). */
function imagesByTime(messages: readonly RrdMessage[], entity: string): Map<bigint, Uint8Array> {
  const out = new Map<bigint, Uint8Array>();
  for (const image of imagesOf(messages, "frame")) {
    if (image.entityPath === entity && image.time !== undefined) out.set(image.time, image.pixels);
  }
  return out;
}

function expectSameImages(got: Map<bigint, Uint8Array>, sent: Map<bigint, Uint8Array>, what: string): void {
  expect([...got.keys()].sort(), what).toEqual([...sent.keys()].sort());
  for (const [t, pixels] of sent) {
    // (Not toEqual: vitest's deep equality walks a 6 MB array element by element.)
    expect(Buffer.compare(got.get(t)!, pixels), `${what} frame ${t}`).toBe(0);
  }
}

it("reads 1080p frames from Rerun's gRPC proxy: its history, then live frames, raw and LZ4, byte for byte", async () => {
  const url = await startRerunProxy();
  // History: logged (and acknowledged by Rerun) before the reader connects.
  const history = new Map([
    ...(await logWithIris(url, [0, 1], "none")),
    ...(await logWithIris(url, [2, 3], "lz4")),
  ]);

  const abort = new AbortController();
  const got: RrdMessage[] = [];
  let lz4Frames = 0; // LZ4 payloads large enough to hold a frame
  let readError: unknown;
  const reading = (async () => {
    try {
      const beforeDecompress = (bytes: number): void => {
        if (bytes >= WIDTH * HEIGHT * 3) lz4Frames++;
      };
      const options = { signal: abort.signal, decode: { beforeDecompress } };
      for await (const m of readMessages(url, options)) got.push(m);
    } catch (error) {
      readError = error;
    }
  })();
  const waitFor = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 90_000;
    while (!done()) {
      if (readError !== undefined) throw readError;
      if (Date.now() > deadline)
        throw new Error(`readMessages: ${what} not read after 90 s (${got.length} messages)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor("the history", () => imagesByTime(got, "/camera").size === history.size);
  const afterHistory = got.length;

  // Live: logged while the reader is connected, by both SDKs.
  const live = new Map([
    ...(await logWithIris(url, [10, 11], "none")),
    ...(await logWithIris(url, [12, 13], "lz4")),
  ]);
  const python = await logWithRerunPython(url, [20, 21]);
  await waitFor("the live frames", () => {
    return (
      imagesByTime(got, "/camera").size === history.size + live.size &&
      imagesByTime(got, "/python_camera").size === python.size
    );
  });
  abort.abort();
  await reading;
  expect(readError).toBeUndefined();

  expectSameImages(imagesByTime(got.slice(0, afterHistory), "/camera"), history, "history");
  expectSameImages(imagesByTime(got.slice(afterHistory), "/camera"), live, "live (Iris SDK)");
  expectSameImages(
    imagesByTime(got.slice(afterHistory), "/python_camera"),
    python,
    "live (Rerun's Python SDK)",
  );
  // The compressible frames crossed LZ4-compressed (Iris's odd frames 3 and 13, Rerun's two); the noise raw.
  expect(lz4Frames).toBe(4);
  const stores = new Set(got.map((m) => (m.kind === "blueprintActivation" ? "" : m.storeId.recordingId)));
  expect(stores).toEqual(new Set(["iris", "python"]));
}, 240_000);

it("ends quietly when its signal aborts while Rerun's proxy has nothing more to send", async () => {
  const url = await startRerunProxy();
  await logWithIris(url, [0], "none");
  const abort = new AbortController();
  const got: RrdMessage[] = [];
  const reading = (async () => {
    for await (const m of readMessages(url, { signal: abort.signal })) {
      got.push(m);
      if (imagesOf(got, "frame").length === 1) setTimeout(() => abort.abort(), 200); // then idle, waiting
    }
  })();
  await expect(reading).resolves.toBeUndefined();
  expect(imagesOf(got, "frame").map((x) => x.time)).toEqual([0n]);
}, 120_000);
