// Pure TypeScript LZ4 block codec vs lz4-wasm (lz4_flex compiled to wasm) in headless Chromium: decompression
// and compression per call on a screen-like 1080p frame, a camera-like 1080p frame and small payloads, plus
// the wasm binary's bundle cost and instantiation time. Run: `npx tsx bench/lz4-browser.ts [runs]`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { launchChromium } from "../tests/browser/chromium.ts";
import { startStaticServer } from "../tests/browser/static-server.ts";
import { HEIGHT, WIDTH } from "./log-to-file.ts";
import { fmt, summarize } from "./stats.ts";
import { makeCompressibleFrames } from "./store-load.ts";

/** A camera-like frame: a smooth scene with sensor noise (`noise` bits) in every pixel. */
function makeCameraFrame(noise = 15): Uint8Array {
  let seed = 77;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  const pixels = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = (y * WIDTH + x) * 3;
      pixels[i] = ((x >> 3) + (rand() & noise)) & 255;
      pixels[i + 1] = ((y >> 2) + (rand() & noise)) & 255;
      pixels[i + 2] = (((x + y) >> 4) + (rand() & noise)) & 255;
    }
  }
  return pixels;
}

const screen = makeCompressibleFrames(1)[0]!;
const payloads = new Map<string, Uint8Array>([
  ["screen-1080p", screen],
  ["camera-1080p", makeCameraFrame()],
  ["quiet-camera-1080p", makeCameraFrame(1)],
  ["screen-64KiB", screen.slice(0, 64 * 1024)],
  ["screen-4KiB", screen.slice(0, 4096)],
  ["camera-4KiB", makeCameraFrame().slice(0, 4096)],
]);

const runs = Number(process.argv[2] ?? 7);
const wasmPath = join(
  dirname(createRequire(import.meta.url).resolve("lz4-wasm/package.json")),
  "lz4_wasm_bg.wasm",
);
const wasmBytes = new Uint8Array(readFileSync(wasmPath));
const page = await build({
  entryPoints: [join(import.meta.dirname, "lz4-browser/page.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  write: false,
  logLevel: "warning",
});
const glueOnly = await build({
  entryPoints: [join(import.meta.dirname, "../packages/viewer/src/wasm-lz4-codec.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  minify: true,
  write: false,
  external: ["@iris/rrd"],
  logLevel: "warning",
});
const files = new Map([
  ["/page.js", { body: page.outputFiles[0]!.contents, contentType: "text/javascript" }],
  ["/lz4_wasm_bg.wasm", { body: wasmBytes, contentType: "application/wasm" }],
  [
    "/index.html",
    {
      body: new TextEncoder().encode('<!doctype html><script type="module" src="/page.js"></script>'),
      contentType: "text/html",
    },
  ],
]);
for (const [name, bytes] of payloads)
  files.set(`/${name}.bin`, { body: bytes, contentType: "application/octet-stream" });
const server = await startStaticServer({ roots: [], files });
const session = await launchChromium();
const gz = (b: Uint8Array): number => gzipSync(b, { level: 9 }).length;

interface PageApi {
  loadWasm(): Promise<number>;
  load(names: string[]): Promise<Record<string, { bytes: number; blockBytes: number }>>;
  time(name: string, codec: string, op: "decompress" | "compress", calls: number): number;
}

try {
  const { page: tab } = await session.newPage();
  const cdp = await session.context.newCDPSession(tab);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  /** The page's main-thread CPU seconds so far. */
  const threadTime = async (): Promise<number> =>
    (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime")!.value;
  const instantiations: number[] = [];
  for (let i = 0; i < 5; i++) {
    await tab.goto(`${server.url}/index.html`);
    await tab.waitForFunction(() => typeof (globalThis as { lz4Bench?: unknown }).lz4Bench === "object");
    instantiations.push(
      await tab.evaluate(() => (globalThis as unknown as { lz4Bench: PageApi }).lz4Bench.loadWasm()),
    );
  }
  const sizes = await tab.evaluate(
    (names) => (globalThis as unknown as { lz4Bench: PageApi }).lz4Bench.load(names),
    [...payloads.keys()],
  );
  const lines: string[] = [];
  lines.push(`runs ${runs}, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  lines.push(
    `lz4-wasm binary ${wasmBytes.length} B (${gz(wasmBytes)} B gzip); glue ${glueOnly.outputFiles[0]!.contents.length} B minified`,
  );
  const inst = summarize(instantiations);
  lines.push(
    `instantiate (fetched bytes -> codec), fresh page: median ${fmt(inst.median)} ms (${fmt(inst.min)}–${fmt(inst.max)})`,
  );
  lines.push(
    "| payload | bytes | block | op | TS MB/s (CPU) | wasm MB/s (CPU) | wasm/TS CPU (min–max) | wasm/TS wall (min–max) | mixed/TS CPU (min–max) |",
  );
  lines.push("|---|---|---|---|---|---|---|---|---|");
  for (const [name, { bytes, blockBytes }] of Object.entries(sizes)) {
    for (const op of ["decompress", "compress"] as const) {
      // Calls per timed run: about 100 MB of input, at least 5.
      const calls = Math.max(5, Math.round(100e6 / bytes));
      const cpu = { ts: [] as number[], wasm: [] as number[], mixed: [] as number[] };
      const wall = { ts: [] as number[], wasm: [] as number[], mixed: [] as number[] };
      for (let r = 0; r < runs; r++) {
        const order = ["ts", "wasm", "mixed"] as const;
        for (const codec of r % 2 === 0 ? order : ([...order].reverse() as (typeof order)[number][])) {
          const before = await threadTime();
          const wallMs = await tab.evaluate(
            ([n, c, o, k]) => (globalThis as unknown as { lz4Bench: PageApi }).lz4Bench.time(n, c, o, k),
            [name, codec, op, calls] as const,
          );
          cpu[codec].push(((await threadTime()) - before) * 1e3);
          wall[codec].push(wallMs);
        }
      }
      const mbps = (ms: number): number => (bytes * calls) / 1e3 / ms;
      const ratio = (t: number[], w: number[]): string => {
        const s = summarize(t.map((x, i) => x / w[i]!));
        return `${fmt(s.median)}× (${fmt(s.min)}–${fmt(s.max)})`;
      };
      lines.push(
        `| ${name} | ${bytes} | ${blockBytes} | ${op} | ${fmt(mbps(summarize(cpu.ts).median), 0)} | ${fmt(mbps(summarize(cpu.wasm).median), 0)} | ${ratio(cpu.ts, cpu.wasm)} | ${ratio(wall.ts, wall.wasm)} | ${ratio(cpu.ts, cpu.mixed)} |`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await session.close();
  await server.close();
}
