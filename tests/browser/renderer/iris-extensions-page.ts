/**
 * Browser entry of the Iris-extension renderer suite (bundled by esbuild in iris-extensions.test.ts): Bayer
 * mosaics (4 patterns × U8/U16) and UYVY drawn 1:1 by @iris/renderer into an RGBA8 framebuffer, read back, and
 * paired with the CPU reference `decodeIrisLayoutToRgba8` from @iris/types.
 */
import { type DrawImageOptions, type GpuImageDesc, ImageRenderer, RendererError } from "@iris/renderer";
import { type ImageFormat, type IrisPixelLayout, decodeIrisLayoutToRgba8 } from "@iris/types";
import type { ErrorCase, PixelCase } from "./protocol.ts";

const canvas = document.createElement("canvas");
canvas.width = 1;
canvas.height = 1;
const maybeGl = canvas.getContext("webgl2", { antialias: false, premultipliedAlpha: false });
if (maybeGl === null) throw new Error("WebGL2 is not available");
const gl: WebGL2RenderingContext = maybeGl;

function renderPixels(width: number, height: number, draw: () => void): number[] {
  const framebuffer = gl.createFramebuffer();
  const renderbuffer = gl.createRenderbuffer();
  gl.bindRenderbuffer(gl.RENDERBUFFER, renderbuffer);
  gl.renderbufferStorage(gl.RENDERBUFFER, gl.RGBA8, width, height);
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
  gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, renderbuffer);
  gl.viewport(0, 0, width, height);
  gl.clearColor(0, 0, 0, 0);
  gl.clear(gl.COLOR_BUFFER_BIT);
  draw();
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.deleteFramebuffer(framebuffer);
  gl.deleteRenderbuffer(renderbuffer);
  const out: number[] = [];
  for (let y = height - 1; y >= 0; y--)
    for (let i = 0; i < width * 4; i++) out.push(pixels[y * width * 4 + i]!);
  return out;
}

const renderers = new Map<number | undefined, ImageRenderer>();
function sharedRenderer(maxTextureSize?: number): ImageRenderer {
  let r = renderers.get(maxTextureSize);
  if (r === undefined) {
    r = new ImageRenderer(gl, maxTextureSize === undefined ? {} : { maxTextureSize });
    renderers.set(maxTextureSize, r);
  }
  return r;
}

/** Deterministic pseudo-random samples (xorshift32). */
function samples(count: number, seed: number, max: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.push(s % (max + 1));
  }
  return out;
}

interface ExtensionImage {
  name: string;
  layout: IrisPixelLayout;
  /** The Rerun format the image is stored with (L U8 / L U16; UYVY 2w wide). */
  format: ImageFormat;
  bytes: Uint8Array;
  desc: GpuImageDesc;
}

const bayerLayouts = ["BayerRGGB", "BayerBGGR", "BayerGRBG", "BayerGBRG"] as const;

function bayerImage(
  w: number,
  h: number,
  layout: (typeof bayerLayouts)[number],
  bits: 8 | 16,
  seed = 7,
): ExtensionImage {
  const values = samples(w * h, seed + w * 31 + h, bits === 8 ? 255 : 65535);
  const bytes = bits === 8 ? new Uint8Array(values) : new Uint8Array(new Uint16Array(values).buffer);
  const dt = bits === 8 ? 6 : 8;
  return {
    name: `${layout} U${bits} ${w}x${h}`,
    layout,
    format: { width: w, height: h, colorModel: 1, channelDatatype: dt },
    bytes,
    desc: { width: w, height: h, irisLayout: layout, channelDatatype: dt, bytes },
  };
}

function uyvyImage(w: number, h: number): ExtensionImage {
  const bytes = new Uint8Array(samples(2 * w * h, 99 + w * 7 + h, 255));
  return {
    name: `UYVY ${w}x${h}`,
    layout: "UYVY",
    format: { width: 2 * w, height: h, colorModel: 1, channelDatatype: 6 },
    bytes,
    desc: { width: w, height: h, irisLayout: "UYVY", bytes },
  };
}

const oneToOne = {
  viewFromImage: { x: 0, y: 0, scale: 1 },
  magnification: "nearest",
  blend: "replace",
} as const;

function caseOf(
  image: ExtensionImage,
  options: Partial<DrawImageOptions> & { valueRange?: [number, number] },
  renderer = sharedRenderer(),
  label = "",
): PixelCase {
  const gpuImage = renderer.upload(image.desc);
  const { width, height } = image.desc;
  try {
    const gpu = renderPixels(width, height, () => renderer.draw(gpuImage, { ...oneToOne, ...options }));
    const expected = decodeIrisLayoutToRgba8(
      image.bytes,
      image.format,
      image.layout,
      options.valueRange ? { valueRange: options.valueRange } : {},
    );
    // Bayer: float32 normalisation of means ending in .5/.25 vs float64 + Math.round → ±1.
    // UYVY: the CPU truncates (Rust `as u8`), the GPU's unorm write rounds → 0…+1.
    const tolerance: [number, number] = image.layout === "UYVY" ? [0, 1] : [-1, 1];
    return {
      name: `${image.name}${label}`,
      width,
      height,
      tolerance,
      gpu,
      expected: Array.from(expected),
      glError: gl.getError(),
    };
  } finally {
    gpuImage.destroy();
  }
}

const bayerSizes = [
  [7, 5],
  [8, 6],
  [2, 2],
  [5, 4],
  [3, 7],
] as const;

function bayerConformance(): PixelCase[] {
  const cases: PixelCase[] = [];
  for (const [w, h] of bayerSizes) {
    for (const layout of bayerLayouts) {
      for (const bits of [8, 16] as const) {
        const image = bayerImage(w, h, layout, bits);
        cases.push(caseOf(image, {}));
        const valueRange: [number, number] = bits === 8 ? [40, 200] : [10000, 50000.5];
        cases.push(caseOf(image, { valueRange }, sharedRenderer(), ` range [${valueRange.join(", ")}]`));
      }
    }
  }
  // A 16-bit mosaic whose values stay in 0…255 gets [0, 255] from the heuristic (like L U16).
  const small = bayerImage(6, 4, "BayerRGGB", 8);
  const u16 = new Uint8Array(new Uint16Array(Array.from(small.bytes)).buffer);
  cases.push(
    caseOf(
      {
        ...small,
        name: "BayerRGGB U16 values ≤ 255",
        format: { ...small.format, channelDatatype: 8 },
        bytes: u16,
        desc: { ...small.desc, channelDatatype: 8, bytes: u16 },
      },
      {},
    ),
  );
  return cases;
}

function uyvyConformance(): PixelCase[] {
  return (
    [
      [8, 6],
      [2, 1],
      [6, 3],
      [4, 5],
    ] as const
  ).map(([w, h]) => caseOf(uyvyImage(w, h), {}));
}

/** Data textures re-wrapped into rows of maxTextureSize elements when w or h exceeds it. */
function rewrapped(): PixelCase[] {
  const renderer = sharedRenderer(8);
  return [
    caseOf(bayerImage(9, 5, "BayerGRBG", 16), {}, renderer, " (max texture 8, re-wrapped)"),
    caseOf(bayerImage(9, 5, "BayerBGGR", 8), {}, renderer, " (max texture 8, re-wrapped)"),
    caseOf(uyvyImage(6, 3), {}, renderer, " (max texture 8, re-wrapped)"),
  ];
}

/** Range changes on a 16-bit mosaic never re-upload. */
function rangeWithoutReupload(): { uploads: number; uploadsAfter: number; cases: PixelCase[] } {
  const renderer = new ImageRenderer(gl);
  const image = bayerImage(7, 5, "BayerRGGB", 16);
  const gpuImage = renderer.upload(image.desc);
  const uploads = renderer.stats.textureUploads;
  const cases: PixelCase[] = [];
  for (const valueRange of [
    [0, 65535],
    [20000, 30000],
    [5000, 60000],
  ] as [number, number][]) {
    const gpu = renderPixels(7, 5, () => renderer.draw(gpuImage, { ...oneToOne, valueRange }));
    cases.push({
      name: `range ${valueRange.join("…")}`,
      width: 7,
      height: 5,
      tolerance: [-1, 1],
      gpu,
      expected: Array.from(decodeIrisLayoutToRgba8(image.bytes, image.format, image.layout, { valueRange })),
      glError: gl.getError(),
    });
  }
  const uploadsAfter = renderer.stats.textureUploads;
  gpuImage.destroy();
  renderer.destroy();
  return { uploads, uploadsAfter, cases };
}

function errorOf(name: string, f: () => void): ErrorCase {
  try {
    f();
    return { name, kind: undefined, message: "no error" };
  } catch (error) {
    return {
      name,
      kind: error instanceof RendererError ? error.kind : `not a RendererError: ${String(error)}`,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

function errors(): ErrorCase[] {
  const r = sharedRenderer();
  return [
    errorOf("UYVY odd width", () =>
      r.upload({ width: 3, height: 1, irisLayout: "UYVY", bytes: new Uint8Array(6) }),
    ),
    errorOf("Bayer 1 pixel wide", () =>
      r.upload({ width: 1, height: 4, irisLayout: "BayerRGGB", bytes: new Uint8Array(4) }),
    ),
    errorOf("Bayer F32", () =>
      r.upload({
        width: 2,
        height: 2,
        irisLayout: "BayerRGGB",
        channelDatatype: 34,
        bytes: new Uint8Array(16),
      }),
    ),
    errorOf("Bayer U16 wrong size", () =>
      r.upload({
        width: 2,
        height: 2,
        irisLayout: "BayerRGGB",
        channelDatatype: 8,
        bytes: new Uint8Array(4),
      }),
    ),
    errorOf("irisLayout with pixelFormat", () =>
      r.upload({ width: 2, height: 2, irisLayout: "UYVY", pixelFormat: 27, bytes: new Uint8Array(8) }),
    ),
  ];
}

const api = { bayerConformance, uyvyConformance, rewrapped, rangeWithoutReupload, errors };
export type IrisExtensionsTestApi = typeof api;
(window as unknown as { irisExtensionTests: IrisExtensionsTestApi }).irisExtensionTests = api;
(window as unknown as { irisExtensionTestsReady: boolean }).irisExtensionTestsReady = true;
