/**
 * CPU reference decoder: the colours an image must show, used as the oracle for the WebGL decoders.
 *
 * What the GPU path must match (per output texel, RGBA8, sRGB-encoded values — before any sRGB→linear step):
 *
 * Pixel formats (`yuvToRgb8`): the [Y, U, V] samples of `sampleYuv` (pixel-reader.ts), then Rerun's
 * `rgb_from_yuv` / `srgb_from_yuv` in float32 arithmetic:
 * - limited range (all *_LimitedRange, NV12, YUY2): y = (Y−16)/219, u = (U−128)/224, v = (V−128)/224;
 *   full range: y = Y/255, u = (U−128)/255, v = (V−128)/255;
 * - BT.601 (NV12, YUY2): r = y + 1.402v, g = y − 0.344u − 0.714v, b = y + 1.772u;
 *   BT.709 (all Y_U_V*, Y8): r = y + 1.575v, g = y − 0.187u − 0.468v, b = y + 1.856u;
 * - clamp to [0, 1], then `trunc(255·x)` (Rust `as u8`, as Rerun's CPU hover path does); alpha 255.
 *   A GPU writing the clamped value into an RGBA8 unorm target rounds instead of truncating, so a GPU result may
 *   be exactly 1 higher per channel: compare pixel formats with a tolerance of +1 (never −1).
 *
 * Colour models: each channel value v (alpha included) is normalised with one range [lo, hi]
 * (`options.valueRange`, else `dataRangeHeuristic`, which is [0, 255] for every U8 image):
 * t = clamp((v − lo)/(hi − lo), 0, 1), output round(255·t). Non-finite values (NaN, ±Infinity) give t = 1, and
 * an sRGB (non-linear, see below) colour image pixel with a non-finite r, g or b shows Rerun's error colour
 * (255, 0, 255, 255) — what Rerun 0.33 shows (measured by tests/differential). An explicit `valueRange` applies to U8
 * images too (Iris's user control; Rerun has none). Then:
 * - L → (t, t, t, 255);  RGB → (r, g, b, 255);  RGBA → (r, g, b, a);
 * - BGR (stored b, g, r) → (r, g, b, 255);  BGRA (stored b, g, r, a) → (r, g, b, a).
 * - Colour (3/4-channel) images whose data does not look like an ordinary sRGB image — finite values (or, with
 *   none, the datatype's range) not all within [0, 255] — have linear colour: r, g, b are shown as
 *   round(255·srgb(t)) (`srgbFromLinear`), alpha stays t. This is Rerun's `image_decode_srgb_gamma_heuristic`
 *   (re_viewer_context gpu_bridge/image_to_gpu.rs): without sRGB decoding the normalised value is linear and the
 *   sRGB framebuffer encodes it. L images are unaffected (Rerun's grey colormap is an sRGB gradient).
 *   `colorValuesAreLinear` decides; an explicit `valueRange` does not change the decision (it depends on the data).
 * The GPU normalises in float32 and its unorm write rounds, so allow ±1 per channel for non-U8 data; U8 data with
 * the default range must match exactly. Values are not premultiplied by alpha. Rerun's shader shows out-of-range
 * normalised values in magenta when decoding sRGB; with the default heuristic that never happens, and Iris clamps.
 */
import {
  type PixelFormat,
  ChannelDatatype as CD,
  ColorModel as CM,
  channelDatatypeBytes,
  colorModelChannels,
  isFloatDatatype,
} from "./enums.ts";
import { dataViewOf, readChannelValue } from "./channel-reader.ts";
import { ImageFormatError } from "./image-format-error.ts";
import {
  type ImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  validateImageBuffer,
} from "./image-format.ts";
import { type PixelFormatInfo, pixelFormatInfo } from "./pixel-format-info.ts";
import { bayerLayoutOfPixelFormat, decodeBayerPixelFormat } from "./bayer-pixel-format.ts";
import { sampleYuvLayout } from "./pixel-reader.ts";
import { srgbFromLinear } from "./srgb-from-linear.ts";
import { dataRangeHeuristic, finiteValueRange } from "./value-range.ts";

export interface DecodeImageOptions {
  /** [lo, hi] mapped to [0, 255]; defaults to `dataRangeHeuristic` ([0, 255] for U8). */
  valueRange?: [number, number];
}

const f32 = Math.fround;
const C601 = { rv: f32(1.402), gu: f32(0.344), gv: f32(0.714), bu: f32(1.772) };
const C709 = { rv: f32(1.575), gu: f32(0.187), gv: f32(0.468), bu: f32(1.856) };

function toU8(x: number): number {
  const clamped = Math.min(1, Math.max(0, x));
  return Math.min(255, Math.trunc(f32(255 * clamped)));
}

/**
 * Rerun's YUV→RGB conversion of 8-bit samples for pixel format `pf` (range and matrix chosen per format), in
 * float32 arithmetic, clamped, then `trunc(255·x)`. Returns [r, g, b] in 0…255.
 */
export function yuvToRgb8(y: number, u: number, v: number, pf: PixelFormat): [number, number, number] {
  return yuvToRgb8WithInfo(y, u, v, pixelFormatInfo(pf));
}

function yuvToRgb8WithInfo(y: number, u: number, v: number, info: PixelFormatInfo): [number, number, number] {
  let yn: number;
  let un: number;
  let vn: number;
  if (info.limitedRange) {
    yn = f32(f32(y - 16) / 219);
    un = f32(f32(u - 128) / 224);
    vn = f32(f32(v - 128) / 224);
  } else {
    yn = f32(y / 255);
    un = f32(f32(u - 128) / 255);
    vn = f32(f32(v - 128) / 255);
  }
  const c = info.matrix === "BT601" ? C601 : C709;
  const r = f32(yn + f32(c.rv * vn));
  const g = f32(f32(yn - f32(c.gu * un)) - f32(c.gv * vn));
  const b = f32(yn + f32(c.bu * un));
  return [toU8(r), toU8(g), toU8(b)];
}

export { srgbFromLinear };

/**
 * Whether a colour-model image's normalised colour channels are linear (shown sRGB-encoded) rather than sRGB:
 * only for 3/4-channel images whose finite values (the datatype's range when there are none) leave [0, 255].
 * Rerun's `image_decode_srgb_gamma_heuristic`; always false for L and pixel-format images.
 */
export function colorValuesAreLinear(bytes: Uint8Array, f: ImageFormat): boolean {
  if (f.pixelFormat !== undefined) return false;
  if (colorModelChannels(effectiveColorModel(f)) < 3) return false;
  if (effectiveChannelDatatype(f) === CD.U8) return false;
  const [min, max] = finiteValueRange(bytes, f);
  return !(min >= 0 && max <= 255);
}

function checkValueRange(range: [number, number]): void {
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new ImageFormatError(
      "invalid-range",
      `Value range must be two finite numbers, got [${String(lo)}, ${String(hi)}]`,
      { expected: "[lo, hi] finite", actual: `[${String(lo)}, ${String(hi)}]` },
    );
  }
}

/** Decodes any Image buffer to tightly packed RGBA8 (w·h·4 bytes). See the file comment for the exact rules. */
export function decodeImageToRgba8(
  bytes: Uint8Array,
  f: ImageFormat,
  options: DecodeImageOptions = {},
): Uint8ClampedArray {
  validateImageBuffer(bytes, f);
  const { width: w, height: h } = f;
  const out = new Uint8ClampedArray(w * h * 4);
  const bayer = bayerLayoutOfPixelFormat(f.pixelFormat);
  if (bayer !== undefined) {
    const range = options.valueRange ?? ([0, 255] as [number, number]);
    checkValueRange(range);
    // lo = hi: widened like an L image's (below).
    const d = range[0] === range[1] ? Math.max(1, Math.abs(range[0]) * 2 ** -16) : 0;
    decodeBayerPixelFormat(bytes, f, bayer, [range[0] - d, range[1] + d], out);
    return out;
  }
  if (f.pixelFormat !== undefined) {
    const info = pixelFormatInfo(f.pixelFormat);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [Y, U, V] = sampleYuvLayout(bytes, w, h, info.layout, x, y);
        const [r, g, b] = yuvToRgb8WithInfo(Y, U, V, info);
        const o = 4 * (y * w + x);
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = 255;
      }
    }
    return out;
  }

  const dt = effectiveChannelDatatype(f);
  const cm = effectiveColorModel(f);
  const channels = colorModelChannels(cm);
  const bpe = channelDatatypeBytes(dt);
  const range =
    options.valueRange ?? (dt === CD.U8 ? ([0, 255] as [number, number]) : dataRangeHeuristic(bytes, f));
  checkValueRange(range);
  // lo = hi (a constant image at U64 max or 1e300, where [v − 1, v + 1] collapses in float64; or a manual range of
  // one value): widened by max(1, |lo|·2⁻¹⁶) each side, so the value maps to 0.5 (Rerun's "map constant images
  // to the middle"), below to 0, above to 1. The renderer's `drawableValueRange` applies the same rule.
  const d = range[0] === range[1] ? Math.max(1, Math.abs(range[0]) * 2 ** -16) : 0;
  const lo = range[0] - d;
  const hi = range[1] + d;
  const scale = 1 / (hi - lo);
  const view = dataViewOf(bytes);
  // Non-finite values (NaN, ±Infinity) show as the top of the range (t = 1), as in Rerun's viewer.
  const tOf = (index: number): number => {
    const v = readChannelValue(view, dt, index * bpe);
    return Number.isFinite(v) ? Math.min(1, Math.max(0, (v - lo) * scale)) : 1;
  };
  const norm = (index: number): number => Math.round(255 * tOf(index));
  const linear = colorValuesAreLinear(bytes, f);
  const colour = !linear ? norm : (index: number): number => Math.round(255 * srgbFromLinear(tOf(index)));
  const finite = (index: number): boolean => Number.isFinite(readChannelValue(view, dt, index * bpe));
  // sRGB colour images (3/4 channels, not linear) with a non-finite colour channel: Rerun's error colour.
  const errorPixels = channels >= 3 && !linear && isFloatDatatype(dt);
  // Source channel index of output r, g, b, a (−1: opaque alpha).
  const swizzle: readonly [number, number, number, number] =
    cm === CM.L
      ? [0, 0, 0, -1]
      : cm === CM.RGB
        ? [0, 1, 2, -1]
        : cm === CM.RGBA
          ? [0, 1, 2, 3]
          : cm === CM.BGR
            ? [2, 1, 0, -1]
            : [2, 1, 0, 3];
  const [sr, sg, sb, sa] = swizzle;
  for (let p = 0; p < w * h; p++) {
    const base = p * channels;
    const o = 4 * p;
    if (errorPixels && !(finite(base) && finite(base + 1) && finite(base + 2))) {
      out.set([255, 0, 255, 255], o);
      continue;
    }
    out[o] = colour(base + sr);
    out[o + 1] = colour(base + sg);
    out[o + 2] = colour(base + sb);
    out[o + 3] = sa < 0 ? 255 : norm(base + sa);
  }
  return out;
}
