/**
 * What each seed example must look like in the real Rerun viewer, as pure functions over a screenshot. Each
 * returns the list of failed expectations (empty = pass) plus the boxes it found, so a test can print exactly
 * what was wrong. Colours come from the issue text (CPU expectations); geometry is relative to the image's
 * on-screen box, because the viewer scales the image to fit its 2D view.
 */
import type { Screenshot } from "./rerun-viewer.ts";
import {
  boxError,
  boxHeight,
  boxWidth,
  colorDistance,
  findRegions,
  formatBox,
  near,
  sampleRelative,
  saturated,
  type Box,
  type Region,
  type Rgb,
} from "./pixels.ts";

export interface CheckResult {
  readonly failures: readonly string[];
  /** Named boxes found on screen, for messages and debugging. */
  readonly found: Readonly<Record<string, string>>;
}

/** Image colours are exact saturated primaries; UI colours are greys or muted (selection blue is 24,106,221). */
const colorTolerance = 40;
/** How far (screen px) an edge may be from where the image geometry puts it: filtering/rounding at the edges. */
const edgeTolerancePx = 3;
/** Smallest on-screen image we accept as "shown": a thumbnail or a blank view fails. */
const minImageHeightPx = 100;

const red: Rgb = [255, 0, 0];
const green: Rgb = [0, 255, 0];
const blue: Rgb = [0, 0, 255];
const cyan: Rgb = [0, 255, 255];

class Checker {
  readonly failures: string[] = [];
  readonly found: Record<string, string> = {};

  expect(ok: boolean, message: string): boolean {
    if (!ok) this.failures.push(message);
    return ok;
  }

  note(name: string, box: Box): void {
    this.found[name] = formatBox(box);
  }

  result(): CheckResult {
    return { failures: this.failures, found: this.found };
  }
}

/** The on-screen box of a solid-coloured 300×200 image (the largest region of `color`), checked for aspect. */
function findImage(shot: Screenshot, c: Checker, color: Rgb, label: string): Region | undefined {
  const region = findRegions(shot, near(color, colorTolerance), { minPixels: 2000 })[0];
  if (!c.expect(region !== undefined, `${label}: no ${label} region (rgb ${color.join(",")}) on screen`)) {
    return undefined;
  }
  c.note(label, region!);
  const aspect = boxWidth(region!) / boxHeight(region!);
  c.expect(
    Math.abs(aspect - 1.5) <= 0.02,
    `${label}: aspect ratio ${aspect.toFixed(3)} of ${formatBox(region!)}, expected 1.5 (300×200)`,
  );
  c.expect(
    boxHeight(region!) >= minImageHeightPx,
    `${label}: image only ${boxHeight(region!)} px high on screen (${formatBox(region!)})`,
  );
  return region;
}

/** A 300×200 background-colour image with a solid rectangle `rect` (image pixels, half-open) of `inner` colour. */
function checkRectangleImage(
  shot: Screenshot,
  c: Checker,
  colors: { outer: Rgb; inner: Rgb; outerName: string; innerName: string },
  rect: Box,
): void {
  const image = findImage(shot, c, colors.outer, colors.outerName);
  if (image === undefined) return;
  const inner = findRegions(shot, near(colors.inner, colorTolerance), { minPixels: 200, within: image })[0];
  if (
    !c.expect(inner !== undefined, `no ${colors.innerName} rectangle inside the ${colors.outerName} image`)
  ) {
    return;
  }
  c.note(colors.innerName, inner!);
  const expected = { x0: rect.x0 / 300, y0: rect.y0 / 200, x1: rect.x1 / 300, y1: rect.y1 / 200 };
  const error = boxError(inner!, image, expected);
  c.expect(
    error <= edgeTolerancePx,
    `${colors.innerName} rectangle ${formatBox(inner!)} is ${error.toFixed(1)} px away from image pixels ` +
      `x ${rect.x0}..${rect.x1 - 1}, y ${rect.y0}..${rect.y1 - 1} of the ${colors.outerName} image ${formatBox(image)}`,
  );
  // Solid: the two colours cover the image box (nothing else drawn over or inside it).
  const area = boxWidth(image) * boxHeight(image);
  const covered = (image.count + inner!.count) / area;
  c.expect(
    covered >= 0.97,
    `only ${(covered * 100).toFixed(1)}% of the image box has the two expected colours`,
  );
}

/** image_simple: 300×200 red with a green square at x, y ∈ [50, 150). */
export function checkImageSimple(shot: Screenshot): CheckResult {
  const c = new Checker();
  checkRectangleImage(
    shot,
    c,
    { outer: red, inner: green, outerName: "red", innerName: "green" },
    { x0: 50, y0: 50, x1: 150, y1: 150 },
  );
  return c.result();
}

/** image_row_updates / image_column_updates at frame `t`: blue 300×200, cyan columns 10t..10t+99, rows 50..149. */
export function checkMovingRectangle(shot: Screenshot, t: number): CheckResult {
  const c = new Checker();
  checkRectangleImage(
    shot,
    c,
    { outer: blue, inner: cyan, outerName: "blue", innerName: "cyan" },
    { x0: 10 * t, y0: 50, x1: 10 * t + 100, y1: 150 },
  );
  return c.result();
}

// ---------------------------------------------------------------------------------------------------------------
// image_formats

/** The gradient of image_formats at image pixel (x, y): (x, min(255, x + y), y). */
export function gradientRgb(x: number, y: number): Rgb {
  return [x, Math.min(255, x + y), y];
}

/**
 * The Y_U_V16_FullRange image of image_formats at (x, y): Y = 128, U = 2·⌊x/2⌋ (half-width chroma), V = y,
 * converted with BT.709 full range (image-archetype.md "YUV → RGB"), clamped, treated as sRGB.
 */
export function yuv422Rgb(x: number, y: number): Rgb {
  const luma = 128 / 255;
  const u = (2 * Math.floor(x / 2) - 128) / 255;
  const v = (y - 128) / 255;
  const to8 = (value: number): number => Math.round(255 * Math.min(1, Math.max(0, value)));
  return [to8(luma + 1.575 * v), to8(luma - 0.187 * u - 0.468 * v), to8(luma + 1.856 * u)];
}

const samplePositions = [0.1, 0.3, 0.5, 0.7, 0.9];
/**
 * Minification (256 texels onto ~230 px) blends neighbouring texels; a 1-texel shift moves a channel ≤ 2.
 * Measured worst errors: 1.0–2.0. A BGR image shown unswizzled is off by up to ~200.
 */
const gradientTolerance = 6;

/** Largest colour error over a 5×5 grid of samples of `box` against `expected(x, y)` of a 256×256 image. */
function worstSampleError(shot: Screenshot, box: Box, expected: (x: number, y: number) => Rgb): number {
  let worst = 0;
  for (const fy of samplePositions) {
    for (const fx of samplePositions) {
      const actual = sampleRelative(shot, box, fx, fy);
      worst = Math.max(worst, colorDistance(actual, expected(fx * 256, fy * 256)));
    }
  }
  return worst;
}

/**
 * image_formats: four 256×256 images in four views. The RGB gradient and the BGR image (bytes reversed,
 * color_model BGR) must both look like the gradient; the L image shows the green channel as grey; the YUV422
 * image matches the BT.709 full-range conversion.
 */
export function checkImageFormats(shot: Screenshot): CheckResult {
  const c = new Checker();
  const isSquare = (r: Region): boolean =>
    Math.abs(boxWidth(r) - boxHeight(r)) <= edgeTolerancePx && boxHeight(r) >= minImageHeightPx;
  // Colourful images (RGB, BGR, YUV): their saturated pixels reach all four edges, so the region box is the image.
  const colourful = findRegions(shot, saturated(60), { minPixels: 5000 }).filter(isSquare);
  // The L image: values min(255, x + y) — its white half-triangle spans the full image box.
  const white = findRegions(shot, near([255, 255, 255], 8), { minPixels: 5000 }).filter(isSquare);

  const rgbLike = colourful.filter((r) => worstSampleError(shot, r, gradientRgb) <= gradientTolerance);
  const yuvLike = colourful.filter((r) => worstSampleError(shot, r, yuv422Rgb) <= gradientTolerance);
  rgbLike.forEach((r, i) => c.note(`gradient-${i}`, r));
  yuvLike.forEach((r, i) => c.note(`yuv422-${i}`, r));
  white.forEach((r, i) => c.note(`luminance-${i}`, r));
  const describe = (rs: readonly Region[]): string =>
    rs
      .map(
        (r) =>
          `${formatBox(r)} (gradient err ${worstSampleError(shot, r, gradientRgb)}, ` +
          `yuv err ${worstSampleError(shot, r, yuv422Rgb)})`,
      )
      .join("; ") || "none";

  c.expect(
    colourful.length === 3,
    `expected 3 colourful square images (RGB, BGR, YUV422), found ${colourful.length}: ${describe(colourful)}`,
  );
  c.expect(
    rgbLike.length === 2,
    `expected 2 images showing the gradient (x, min(255,x+y), y) — image_rgb and image_bgr — found ` +
      `${rgbLike.length}; colourful images: ${describe(colourful)}`,
  );
  c.expect(
    yuvLike.length === 1,
    `expected 1 image matching the Y_U_V16_FullRange BT.709 conversion, found ${yuvLike.length}; ` +
      `colourful images: ${describe(colourful)}`,
  );
  if (c.expect(white.length === 1, `expected 1 greyscale (L) image, found ${white.length}`)) {
    const luminance = white[0]!;
    const error = worstSampleError(shot, luminance, (x, y) => {
      const g = Math.min(255, x + y);
      return [g, g, g];
    });
    c.expect(
      error <= gradientTolerance,
      `L image ${formatBox(luminance)}: grey samples differ from min(255, x+y) by up to ${error}`,
    );
  }
  const all = [...colourful, ...white];
  if (all.length === 4) {
    const sizes = all.map((r) => boxHeight(r));
    c.expect(
      Math.max(...sizes) - Math.min(...sizes) <= edgeTolerancePx,
      `the four images should be drawn at the same size, heights: ${sizes.join(", ")}`,
    );
  }
  return c.result();
}

// ---------------------------------------------------------------------------------------------------------------
// image_advanced

/**
 * image_advanced: four entities (EncodedImage from the PNG file, RGBA, RGB, BGR), each a 300×200 image with a
 * red outline and a green rounded rectangle over image pixels (50,50)–(150,150) inclusive; everything else is
 * transparent or black, so it must look dark.
 */
export function checkImageAdvanced(shot: Screenshot): CheckResult {
  const c = new Checker();
  const outlines = findRegions(shot, near(red, colorTolerance), { minPixels: 500 }).filter(
    (r) => Math.abs(boxWidth(r) / boxHeight(r) - 1.5) <= 0.02 && boxHeight(r) >= minImageHeightPx,
  );
  outlines.forEach((r, i) => c.note(`outline-${i}`, r));
  c.expect(
    outlines.length === 4,
    `expected 4 red-outlined 3:2 images (from_file, from_pillow_rgba, from_pillow_rgb, from_opencv), ` +
      `found ${outlines.length}: ${outlines.map(formatBox).join("; ") || "none"}`,
  );
  const dark = (rgb: Rgb): boolean => Math.max(...rgb) <= colorTolerance;
  for (const [i, outline] of outlines.entries()) {
    const label = `image ${i} ${formatBox(outline)}`;
    const rect = findRegions(shot, near(green, colorTolerance), { minPixels: 200, within: outline })[0];
    if (!c.expect(rect !== undefined, `${label}: no green rounded rectangle inside`)) continue;
    c.note(`green-${i}`, rect!);
    const error = boxError(rect!, outline, { x0: 50 / 300, y0: 50 / 200, x1: 151 / 300, y1: 151 / 200 });
    c.expect(
      error <= edgeTolerancePx,
      `${label}: green rectangle ${formatBox(rect!)} is ${error.toFixed(1)} px away from image pixels 50..150`,
    );
    // Rounded corners (radius 20): the rectangle's box corners are not green; its centre is.
    const fill = rect!.count / (boxWidth(rect!) * boxHeight(rect!));
    c.expect(
      fill > 0.9 && fill < 0.985,
      `${label}: green fills ${(fill * 100).toFixed(1)}% of its box; a radius-20 rounded rectangle fills ~96.6%`,
    );
    c.expect(
      colorDistance(sampleRelative(shot, rect!, 0.5, 0.5), green) <= colorTolerance,
      `${label}: centre of the green rectangle is not green`,
    );
    c.expect(
      colorDistance(sampleRelative(shot, rect!, 0.01, 0.01), green) > colorTolerance,
      `${label}: the green rectangle's corner is green; expected a rounded corner`,
    );
    // Outline 5–6 px wide; inside it the image is transparent (RGBA, PNG) or black (RGB, BGR): dark.
    c.expect(
      colorDistance(sampleRelative(shot, outline, 2.5 / 300, 0.5), red) <= colorTolerance,
      `${label}: left outline is not red`,
    );
    for (const [fx, fy] of [
      [15 / 300, 0.5],
      [0.75, 0.5],
      [0.5, 15 / 200],
      [0.9, 0.9],
    ] as const) {
      const sample = sampleRelative(shot, outline, fx, fy);
      c.expect(
        dark(sample),
        `${label}: expected a dark (transparent/black) pixel at (${fx.toFixed(2)}, ${fy.toFixed(2)}), got ${sample.join(",")}`,
      );
    }
  }
  if (outlines.length === 4) {
    const heights = outlines.map((r) => boxHeight(r));
    c.expect(
      Math.max(...heights) - Math.min(...heights) <= edgeTolerancePx,
      `the four images should be drawn at the same size, heights: ${heights.join(", ")}`,
    );
  }
  return c.result();
}
