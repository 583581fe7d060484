/**
 * Browser entry of the renderer suite (bundled by esbuild in image-renderer.test.ts). Renders test images
 * with @iris/renderer into an RGBA8 framebuffer, reads them back with gl.readPixels, and pairs them with the
 * CPU reference `decodeImageToRgba8` from @iris/types. Node compares (see protocol.ts).
 */
import {
  type DrawImageOptions,
  type GpuImageDesc,
  ImageRenderer,
  RendererError,
  colormapNames,
  sampleColormap,
  sampleColormapRgba,
  LinearCompositor,
} from "@iris/renderer";
import {
  ChannelDatatype as CD,
  ColorModel as CM,
  PixelFormat,
  decodeImageToRgba8,
  type ImageFormat,
} from "@iris/types";
import type { ErrorCase, PixelCase, RendererTestApi } from "./protocol.ts";
import {
  type TestImage,
  colorModelImage,
  colorModels,
  datatypes,
  pixelFormatImage,
  pixelFormats,
} from "./test-images.ts";

const canvas = document.createElement("canvas");
canvas.width = 1;
canvas.height = 1;
const maybeGl = canvas.getContext("webgl2", { antialias: false, premultipliedAlpha: false });
if (maybeGl === null) throw new Error("WebGL2 is not available");
const gl: WebGL2RenderingContext = maybeGl;

type Rgba = readonly [number, number, number, number];

/** Renders into a fresh width×height RGBA8 framebuffer cleared to `background` (0…255); rows top-down. */
function renderPixels(
  width: number,
  height: number,
  draw: () => void,
  background: Rgba = [0, 0, 0, 0],
): number[] {
  const framebuffer = gl.createFramebuffer();
  const renderbuffer = gl.createRenderbuffer();
  gl.bindRenderbuffer(gl.RENDERBUFFER, renderbuffer);
  gl.renderbufferStorage(gl.RENDERBUFFER, gl.RGBA8, width, height);
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
  gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, renderbuffer);
  gl.viewport(0, 0, width, height);
  gl.clearColor(background[0] / 255, background[1] / 255, background[2] / 255, background[3] / 255);
  gl.clear(gl.COLOR_BUFFER_BIT);
  draw();
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.deleteFramebuffer(framebuffer);
  gl.deleteRenderbuffer(renderbuffer);
  // readPixels rows are bottom-up.
  const out: number[] = [];
  for (let y = height - 1; y >= 0; y--) {
    for (let i = 0; i < width * 4; i++) out.push(pixels[y * width * 4 + i]!);
  }
  return out;
}

function descOf(image: TestImage): GpuImageDesc {
  return { ...(image.format as Omit<GpuImageDesc, "bytes">), bytes: image.bytes };
}

const oneToOne = {
  viewFromImage: { x: 0, y: 0, scale: 1 },
  magnification: "nearest",
  blend: "replace",
} as const;

/** Uploads, draws 1:1 and reads back an image with a fresh renderer. */
function renderImage(
  image: TestImage,
  options: Partial<DrawImageOptions> = {},
  rendererProps: { maxTextureSize?: number } = {},
): number[] {
  const renderer = sharedRenderer(rendererProps.maxTextureSize);
  const gpuImage = renderer.upload(descOf(image));
  const scale = (options.viewFromImage as { scale?: number } | undefined)?.scale ?? 1;
  try {
    return renderPixels(image.format.width * scale, image.format.height * scale, () =>
      renderer.draw(gpuImage, { ...oneToOne, ...options }),
    );
  } finally {
    gpuImage.destroy();
  }
}

const renderers = new Map<number | undefined, ImageRenderer>();

/** One renderer per max texture size, so compiled programs are reused (SwiftShader compiles slowly). */
function sharedRenderer(maxTextureSize: number | undefined): ImageRenderer {
  let renderer = renderers.get(maxTextureSize);
  if (renderer === undefined) {
    renderer = new ImageRenderer(gl, maxTextureSize === undefined ? {} : { maxTextureSize });
    renderers.set(maxTextureSize, renderer);
  }
  return renderer;
}

function pixelCase(
  name: string,
  width: number,
  height: number,
  tolerance: readonly [number, number],
  gpu: readonly number[],
  expected: ArrayLike<number>,
): PixelCase {
  return { name, width, height, tolerance, gpu, expected: Array.from(expected), glError: gl.getError() };
}

function toleranceFor(format: ImageFormat): readonly [number, number] {
  // Pixel formats: the CPU reference truncates (Rust `as u8`), the GPU's unorm write rounds → +0…+1.
  // Rerun 0.41's Bayer formats (128…131): means of 2, 3 or 4 samples, rounded on both sides, but the GPU
  // normalises in float32, so a mean ending in .5 may land either side → ±1.
  if (format.pixelFormat !== undefined && format.pixelFormat >= 128) return [-1, 1];
  if (format.pixelFormat !== undefined) return [0, 1];
  // U8 with the default range [0, 255] must be exact.
  if ((format.channelDatatype ?? CD.U8) === CD.U8) return [0, 0];
  // Everything else is normalised in float32 on the GPU (float64 on the CPU) → ±1.
  return [-1, 1];
}

const sizes: readonly (readonly [number, number])[] = [
  [7, 5],
  [8, 6],
  [1, 1],
];

function conformance(): PixelCase[] {
  const cases: PixelCase[] = [];
  for (const [w, h] of sizes) {
    for (const cm of colorModels) {
      for (const dt of datatypes) {
        for (const variant of ["wide", "narrow"] as const) {
          const image = colorModelImage(w, h, cm, dt, variant);
          const gpu = renderImage(image);
          cases.push(
            pixelCase(
              image.name,
              w,
              h,
              toleranceFor(image.format),
              gpu,
              decodeImageToRgba8(image.bytes, image.format),
            ),
          );
        }
      }
    }
  }
  for (const [w, h] of [...sizes, [3, 3], [2, 2], [5, 4]] as const) {
    for (const pf of pixelFormats) {
      const image = pixelFormatImage(w, h, pf);
      const gpu = renderImage(image);
      cases.push(
        pixelCase(
          image.name,
          w,
          h,
          toleranceFor(image.format),
          gpu,
          decodeImageToRgba8(image.bytes, image.format),
        ),
      );
    }
  }
  return cases;
}

function explicitRange(): PixelCase[] {
  const ranges: Readonly<Record<number, readonly [number, number]>> = {
    [CD.U8]: [40, 200],
    [CD.I8]: [-50, 60],
    [CD.U16]: [10000, 50000.5],
    [CD.I16]: [-20000, 15000],
    [CD.U32]: [1e9, 3e9],
    [CD.I32]: [-1.5e9, 1e9],
    [CD.U64]: [2e18, 1.5e19],
    [CD.I64]: [-5e18, 4e18],
    [CD.F16]: [-1, 8],
    [CD.F32]: [-1, 8],
    [CD.F64]: [-1, 8],
  };
  const cases: PixelCase[] = [];
  for (const cm of [CM.L, CM.RGBA]) {
    for (const dt of datatypes) {
      const image = colorModelImage(7, 5, cm, dt);
      const valueRange = ranges[dt]!;
      const gpu = renderImage(image, { valueRange });
      const cpu = decodeImageToRgba8(image.bytes, image.format, {
        valueRange: [valueRange[0], valueRange[1]],
      });
      cases.push(pixelCase(`${image.name} range [${valueRange.join(", ")}]`, 7, 5, [-1, 1], gpu, cpu));
    }
  }
  // A narrow range at a large magnitude: integer subtraction in the shader keeps it exact.
  const bytes = new Uint8Array(4 * 6);
  const dv = new DataView(bytes.buffer);
  [4000000000, 4000000010, 4000000050, 4000000100, 4000000255, 4000000300].forEach((v, i) =>
    dv.setUint32(4 * i, v, true),
  );
  const format = { width: 6, height: 1, colorModel: CM.L, channelDatatype: CD.U32 } as ImageFormat;
  const valueRange: [number, number] = [4000000000, 4000000255];
  cases.push(
    pixelCase(
      "U32 narrow range near 4e9",
      6,
      1,
      [-1, 1],
      renderImage({ name: "", format, bytes }, { valueRange }),
      decodeImageToRgba8(bytes, format, { valueRange }),
    ),
  );
  return cases;
}

function colormaps(): PixelCase[] {
  const ts = [0, 0.25, 0.5, 0.75, 1];
  const bytes = new Uint8Array(new Float32Array(ts).buffer);
  const format = { width: ts.length, height: 1, colorModel: CM.L, channelDatatype: CD.F32 } as ImageFormat;
  const cases: PixelCase[] = [];
  for (const name of colormapNames) {
    for (const magnification of ["nearest", "linear"] as const) {
      const gpu = renderImage({ name, format, bytes }, { colormap: name, valueRange: [0, 1], magnification });
      const expected = ts.flatMap((t) => sampleColormapRgba(name, t));
      cases.push(
        pixelCase(`${name} at ${ts.join(", ")} (${magnification})`, ts.length, 1, [-1, 1], gpu, expected),
      );
    }
  }
  // Through the integer path: U16 values 1000…3000 with range [1000, 3000] → t = 0, 0.5, 1.
  const u16 = new Uint8Array(new Uint16Array([1000, 2000, 3000]).buffer);
  const f16 = { width: 3, height: 1, colorModel: CM.L, channelDatatype: CD.U16 } as ImageFormat;
  const gpu = renderImage(
    { name: "", format: f16, bytes: u16 },
    { colormap: "turbo", valueRange: [1000, 3000] },
  );
  const expected = [0, 0.5, 1].flatMap((t) => [...sampleColormap("turbo", t), 255]);
  cases.push(pixelCase("turbo on U16 at 0, 0.5, 1", 3, 1, [-1, 1], gpu, expected));
  return cases;
}

function rangeWithoutReupload() {
  const image = colorModelImage(7, 5, CM.L, CD.U16);
  const renderer = new ImageRenderer(gl);
  const gpuImage = renderer.upload(descOf(image));
  const uploadsBefore = renderer.stats.textureUploads;
  const uploadedBytesBefore = renderer.stats.uploadedBytes;
  const cases: PixelCase[] = [];
  const rangeA: [number, number] = [0, 65535];
  const rangeB: [number, number] = [20000, 30000];
  for (const [name, options] of [
    ["range A", { valueRange: rangeA }],
    ["range B, turbo", { valueRange: rangeB, colormap: "turbo" }],
    ["range B, linear, opacity 0.3", { valueRange: rangeB, magnification: "linear", opacity: 0.3 }],
    ["range B", { valueRange: rangeB }],
  ] as const) {
    const gpu = renderPixels(7, 5, () => renderer.draw(gpuImage, { ...oneToOne, ...options }));
    if (name === "range A" || name === "range B") {
      const valueRange = name === "range A" ? rangeA : rangeB;
      cases.push(
        pixelCase(name, 7, 5, [-1, 1], gpu, decodeImageToRgba8(image.bytes, image.format, { valueRange })),
      );
    }
  }
  const result = {
    uploadsBefore,
    uploadsAfter: renderer.stats.textureUploads,
    uploadedBytesBefore,
    uploadedBytesAfter: renderer.stats.uploadedBytes,
    cases,
  };
  gpuImage.destroy();
  renderer.destroy();
  return result;
}

function over(src: ArrayLike<number>, alphaScale: number, background: Rgba): number[] {
  const out: number[] = [];
  for (let i = 0; i < src.length; i += 4) {
    const a = (src[i + 3]! / 255) * alphaScale;
    for (let c = 0; c < 3; c++) out.push(src[i + c]! * a + background[c]! * (1 - a));
    out.push(255 * a + background[3] * (1 - a));
  }
  return out;
}

function opacity(): PixelCase[] {
  const cases: PixelCase[] = [];
  const rgb = colorModelImage(7, 5, CM.RGB, CD.U8);
  const rgba = colorModelImage(7, 5, CM.RGBA, CD.U8);
  const backgrounds: readonly Rgba[] = [
    [0, 0, 255, 255],
    [40, 200, 10, 255],
  ];
  for (const background of backgrounds) {
    for (const [image, value] of [
      [rgb, 0.5],
      [rgb, 0],
      [rgb, 1],
      [rgba, 0.8],
      [rgba, 1],
    ] as const) {
      const renderer = sharedRenderer(undefined);
      const gpuImage = renderer.upload(descOf(image));
      const gpu = renderPixels(
        7,
        5,
        () =>
          renderer.draw(gpuImage, { viewFromImage: { x: 0, y: 0, scale: 1 }, opacity: value, blend: "over" }),
        background,
      );
      gpuImage.destroy();
      const expected = over(decodeImageToRgba8(image.bytes, image.format), value, background);
      const name = `${image.name} opacity ${value} over (${background.join(", ")})`;
      cases.push(pixelCase(name, 7, 5, [-1, 1], gpu, expected));
    }
  }
  return cases;
}

function tiling() {
  const cases: PixelCase[] = [];
  let tiles = 0;
  let uploads = 0;
  for (const image of [colorModelImage(10, 7, CM.RGB, CD.U8), colorModelImage(10, 7, CM.L, CD.F32)]) {
    for (const [magnification, scale] of [
      ["nearest", 1],
      ["linear", 3],
    ] as const) {
      const options = { magnification, viewFromImage: { x: 0, y: 0, scale } };
      const untiled = renderImage(image, options);
      const renderer = sharedRenderer(4);
      const uploadsBefore = renderer.stats.textureUploads;
      const gpuImage = renderer.upload(descOf(image));
      tiles = gpuImage.tiles.length;
      uploads = renderer.stats.textureUploads - uploadsBefore;
      const tiled = renderPixels(10 * scale, 7 * scale, () =>
        renderer.draw(gpuImage, { ...oneToOne, ...options }),
      );
      gpuImage.destroy();
      const tolerance = magnification === "nearest" ? ([0, 0] as const) : ([-1, 1] as const);
      cases.push(
        pixelCase(
          `${image.name} tiled (max 4) vs untiled, ${magnification} ×${scale}`,
          10 * scale,
          7 * scale,
          tolerance,
          tiled,
          untiled,
        ),
      );
      if (magnification === "nearest") {
        cases.push(
          pixelCase(
            `${image.name} tiled vs CPU`,
            10,
            7,
            [-1, 1],
            tiled,
            decodeImageToRgba8(image.bytes, image.format),
          ),
        );
      }
    }
  }
  // Pixel formats re-wrap their data texture into rows of maxTextureSize bytes when Rerun's shape does not fit.
  const yuy2 = pixelFormatImage(8, 6, PixelFormat.YUY2);
  cases.push(
    pixelCase(
      "YUY2 8x6 data texture re-wrapped (max 12)",
      8,
      6,
      [0, 1],
      renderImage(yuy2, {}, { maxTextureSize: 12 }),
      decodeImageToRgba8(yuy2.bytes, yuy2.format),
    ),
  );
  return { tiles, uploads, cases };
}

function reverseChannels(bytes: Uint8Array, channels: number, bytesPerChannel: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const pixel = channels * bytesPerChannel;
  for (let p = 0; p < bytes.length; p += pixel) {
    for (let c = 0; c < channels; c++) {
      // RGB → BGR; RGBA → BGRA (alpha stays last).
      const from = c < 3 ? 2 - c : c;
      for (let b = 0; b < bytesPerChannel; b++)
        out[p + c * bytesPerChannel + b] = bytes[p + from * bytesPerChannel + b]!;
    }
  }
  return out;
}

function bgrEqualsReversedRgb(): PixelCase[] {
  const cases: PixelCase[] = [];
  for (const [rgbModel, bgrModel, channels] of [
    [CM.RGB, CM.BGR, 3],
    [CM.RGBA, CM.BGRA, 4],
  ] as const) {
    for (const [dt, bytesPer] of [
      [CD.U8, 1],
      [CD.U16, 2],
      [CD.F32, 4],
    ] as const) {
      const rgb = colorModelImage(7, 5, rgbModel, dt);
      const bgrFormat = { ...rgb.format, colorModel: bgrModel } as ImageFormat;
      const bgr = { name: "", format: bgrFormat, bytes: reverseChannels(rgb.bytes, channels, bytesPer) };
      cases.push(
        pixelCase(
          `BGR(A) equals RGB(A) reversed: ${rgb.name}`,
          7,
          5,
          [0, 0],
          renderImage(bgr),
          renderImage(rgb),
        ),
      );
    }
  }
  return cases;
}

function linearMagnification(): PixelCase[] {
  // 2×1 black | white drawn 4× wide: samples at image x = 0.125…1.875 (q = x − 0.5), edges clamp.
  const format = { width: 2, height: 1, colorModel: CM.L, channelDatatype: CD.U8 } as ImageFormat;
  const bytes = new Uint8Array([0, 255]);
  const gpu = renderImage(
    { name: "", format, bytes },
    { magnification: "linear", viewFromImage: { x: 0, y: 0, scale: 4 } },
  );
  // Output pixel centres at 0.5…7.5 → image x = 0.125 + k/4: q = x − 0.5 → t = clamp(q, 0, 1).
  const exact: number[] = [];
  for (let y = 0; y < 4; y++) {
    for (let k = 0; k < 8; k++) {
      const t = Math.min(1, Math.max(0, 0.125 + k / 4 - 0.5)) * 255;
      exact.push(t, t, t, 255);
    }
  }
  return [pixelCase("L U8 2x1 linear ×4", 8, 4, [-1, 1], gpu, exact)];
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

function errors() {
  const renderer = new ImageRenderer(gl);
  const cases: ErrorCase[] = [
    errorOf("wrong size", () =>
      renderer.upload({ width: 3, height: 2, colorModel: CM.RGB, bytes: new Uint8Array(17) }),
    ),
    errorOf("Y_U_V24 with the SDK's 4·n bytes", () =>
      renderer.upload({
        width: 2,
        height: 2,
        pixelFormat: PixelFormat.Y_U_V24_FullRange,
        bytes: new Uint8Array(16),
      }),
    ),
    errorOf("zero width", () => renderer.upload({ width: 0, height: 2, bytes: new Uint8Array(0) })),
    errorOf("pixelFormat with colorModel", () =>
      renderer.upload({
        width: 2,
        height: 2,
        pixelFormat: PixelFormat.NV12,
        colorModel: CM.RGB,
        bytes: new Uint8Array(6),
      }),
    ),
    errorOf("NV12 too large for max 4", () =>
      new ImageRenderer(gl, { maxTextureSize: 4 }).upload({
        width: 8,
        height: 6,
        pixelFormat: PixelFormat.NV12,
        bytes: new Uint8Array(72),
      }),
    ),
  ];
  const image = renderer.upload({ width: 2, height: 2, bytes: new Uint8Array(4) });
  cases.push(
    errorOf("infinite range bound", () =>
      renderer.draw(image, { viewFromImage: { x: 0, y: 0, scale: 1 }, valueRange: [0, Infinity] }),
    ),
  );
  image.destroy();
  image.destroy();
  cases.push(
    errorOf("draw destroyed", () => renderer.draw(image, { viewFromImage: { x: 0, y: 0, scale: 1 } })),
  );
  const liveTexturesAfterDestroy = renderer.stats.liveTextures;
  renderer.destroy();
  return { cases, liveTexturesAfterDestroy };
}

function info() {
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  return {
    renderer: String(gl.getParameter(debug === null ? gl.RENDERER : debug.UNMASKED_RENDERER_WEBGL)),
    version: String(gl.getParameter(gl.VERSION)),
    maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
  };
}

/**
 * Constant images whose heuristic range collapses in float64 (U64 max, I64 min, F64 1e300), a one-value manual
 * range, and NaN/±Inf in L, sRGB-range RGB and linear RGB images: GPU vs the CPU reference.
 */
function edgeValues(): PixelCase[] {
  const renderer = sharedRenderer(undefined);
  const cases: PixelCase[] = [];
  const f64 = (values: number[]): Uint8Array => new Uint8Array(new Float64Array(values).buffer);
  const f32 = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);
  const images: { name: string; format: GpuImageDesc; valueRange?: [number, number] }[] = [
    {
      name: "constant L U64 max",
      format: { width: 3, height: 2, channelDatatype: 12, bytes: new Uint8Array(48).fill(255) },
    },
    {
      name: "constant RGB I64 min",
      format: {
        width: 2,
        height: 1,
        colorModel: 2,
        channelDatatype: 13,
        bytes: new Uint8Array(new BigInt64Array(6).fill(-(2n ** 63n)).buffer),
      },
    },
    {
      name: "constant L F64 1e300",
      format: { width: 2, height: 2, channelDatatype: 35, bytes: f64([1e300, 1e300, 1e300, 1e300]) },
    },
    {
      name: "U8 one-value range",
      format: { width: 3, height: 1, bytes: Uint8Array.from([99, 100, 101]) },
      valueRange: [100, 100],
    },
    {
      name: "L F32 NaN/Inf",
      format: { width: 5, height: 1, channelDatatype: 34, bytes: f32([0, 0.5, NaN, Infinity, -Infinity]) },
    },
    {
      name: "RGB F32 [0, 1] with NaN",
      format: {
        width: 2,
        height: 1,
        colorModel: 2,
        channelDatatype: 34,
        bytes: f32([1, 0.5, 0, 0.25, NaN, 0]),
      },
    },
    {
      name: "RGB F32 linear with NaN/Inf",
      format: {
        width: 2,
        height: 1,
        colorModel: 2,
        channelDatatype: 34,
        bytes: f32([-500, NaN, 500, Infinity, 0, -Infinity]),
      },
    },
  ];
  for (const { name, format, valueRange } of images) {
    const gpuImage = renderer.upload(format);
    const gpu = renderPixels(format.width, format.height, () =>
      renderer.draw(gpuImage, {
        viewFromImage: { x: 0, y: 0, scale: 1 },
        ...(valueRange ? { valueRange } : {}),
      }),
    );
    gpuImage.destroy();
    const { bytes, ...imageFormat } = format;
    const expected = decodeImageToRgba8(
      bytes,
      imageFormat as Parameters<typeof decodeImageToRgba8>[1],
      valueRange ? { valueRange } : {},
    );
    cases.push(pixelCase(name, format.width, format.height, [-1, 1], gpu, expected));
  }
  return cases;
}

/**
 * 0.5 opacity red over black through the LinearCompositor (linear-light blending, as Rerun): 255·srgb(0.5) =
 * 187.5 → 187 or 188; and an opaque U8 colour round-trips exactly.
 */
function linearBlending(): PixelCase[] {
  const renderer = sharedRenderer(undefined);
  const compositor = new LinearCompositor(gl);
  canvas.width = 2;
  canvas.height = 1;
  const red = renderer.upload({ width: 1, height: 1, colorModel: 2, bytes: Uint8Array.from([255, 0, 0]) });
  const grey = renderer.upload({
    width: 1,
    height: 1,
    colorModel: 2,
    bytes: Uint8Array.from([40, 128, 201]),
  });
  compositor.begin(2, 1, [0, 0, 0]);
  renderer.draw(red, { viewFromImage: { x: 0, y: 0, scale: 1 }, opacity: 0.5, target: "linear" });
  renderer.draw(grey, { viewFromImage: { x: 1, y: 0, scale: 1 }, target: "linear" });
  compositor.present();
  const pixels = new Uint8Array(8);
  gl.readPixels(0, 0, 2, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  red.destroy();
  grey.destroy();
  compositor.destroy();
  canvas.width = 1;
  canvas.height = 1;
  return [
    pixelCase(
      "0.5 red over black, linear light",
      1,
      1,
      [-1, 1],
      Array.from(pixels.subarray(0, 4)),
      [187.5, 0, 0, 255],
    ),
    pixelCase(
      "opaque U8 colour round-trips",
      1,
      1,
      [0, 0],
      Array.from(pixels.subarray(4, 8)),
      [40, 128, 201, 255],
    ),
  ];
}

const api: RendererTestApi = {
  edgeValues,
  linearBlending,
  conformance,
  explicitRange,
  colormaps,
  rangeWithoutReupload,
  opacity,
  tiling,
  bgrEqualsReversedRgb,
  linearMagnification,
  errors,
  info,
};
(window as unknown as { rendererTests: RendererTestApi }).rendererTests = api;
(window as unknown as { rendererTestsReady: boolean }).rendererTestsReady = true;
