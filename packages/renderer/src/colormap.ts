/**
 * 256-entry RGBA8 colormap tables, generated in TypeScript from a published table and published fits (independent of Rerun's code):
 *
 * - turbo: Google's published degree-5 polynomial approximation of Turbo (Ruofei Du's GLSL version in
 *   https://gist.github.com/mikhailov-work/0d177465a8151eb6ede1768d51d476c7, Apache-2.0; colormap design Anton
 *   Mikhailov). It is off from the official 256-entry table by up to ~32/255 at the ends, but it is what Rerun's
 *   viewer shows (its `colormap.wgsl` evaluates the same approximation; measured against the 0.41 web viewer in
 *   the differential suite), and Rerun's docs name only "Google's Turbo colormap".
 * - viridis, inferno, magma, plasma: Matt Zucker's degree-6 minimax polynomial fits of the matplotlib maps
 *   (data from https://github.com/BIDS/colormap, CC0), CC0, https://www.shadertoy.com/view/WlfXRN. They stay
 *   within ~5/255 of matplotlib's tables (checked at the ends in colormap.test.ts).
 * - grey: the identity ramp.
 * - cyan-to-yellow: Rasmus Brönnegård's (rasmusgo) signed map, CC0, https://www.shadertoy.com/view/lfByRh: with
 *   u = 2t − 1, (r, g, b) = clamp((1 + 3u, 1 + 3u², 1 − 3u) / 4, 0, 1) in sRGB.
 * - spectral: matplotlib's "Spectral", ColorBrewer's 11-class Spectral scheme (Cynthia Brewer, Apache-2.0)
 *   interpolated linearly in sRGB between 11 equally spaced stops (matplotlib `_cm.py` `_Spectral_data`).
 * - twilight: matplotlib's listed table (`twilight-table.ts`).
 * - rviz-map, rviz-costmap, costmap: categorical grid-map palettes (`grid-map-palettes.ts`), with alpha (0 =
 *   transparent in the cost maps); the shader samples them at the nearest entry (`discreteColormaps`).
 *
 * Entry i is the map at t = i/255 (polynomials evaluated there), clamped to [0, 1] and rounded to 8 bits. The shader samples the table with
 * linear filtering at texel centres, so t between entries interpolates linearly (`sampleColormap`).
 */
import { type GridMapPalette, gridMapColor } from "./grid-map-palettes.ts";
import { twilightTable } from "./twilight-table.ts";

export type ColormapName =
  | "grey"
  | "turbo"
  | "viridis"
  | "inferno"
  | "magma"
  | "plasma"
  | "cyan-to-yellow"
  | "spectral"
  | "twilight"
  | GridMapPalette;

export const colormapNames: readonly ColormapName[] = [
  "grey",
  "turbo",
  "viridis",
  "inferno",
  "magma",
  "plasma",
  "cyan-to-yellow",
  "spectral",
  "twilight",
  "rviz-map",
  "rviz-costmap",
  "costmap",
];

/** Categorical maps: looked up at the nearest entry (t·255 rounded), never interpolated. */
export const discreteColormaps: ReadonlySet<ColormapName> = new Set<ColormapName>([
  "rviz-map",
  "rviz-costmap",
  "costmap",
]);

/** ColorBrewer's Spectral, 11 stops (sRGB 0…255), red → violet. */
const spectralStops: readonly Rgb[] = [
  [158, 1, 66],
  [213, 62, 79],
  [244, 109, 67],
  [253, 174, 97],
  [254, 224, 139],
  [255, 255, 191],
  [230, 245, 152],
  [171, 221, 164],
  [102, 194, 165],
  [50, 136, 189],
  [94, 79, 162],
];

/** One channel of a map defined per entry (0…1), for the maps without a polynomial. */
function entryValue(name: ColormapName, channel: 0 | 1 | 2, i: number): number {
  const t = i / 255;
  switch (name) {
    case "twilight":
      return twilightTable[3 * i + channel]! / 255;
    case "cyan-to-yellow": {
      const u = 2 * t - 1;
      return [(1 + 3 * u) / 4, (1 + 3 * u * u) / 4, (1 - 3 * u) / 4][channel]!;
    }
    case "spectral": {
      const x = t * (spectralStops.length - 1);
      const k = Math.min(spectralStops.length - 2, Math.floor(x));
      const f = x - k;
      return (spectralStops[k]![channel] * (1 - f) + spectralStops[k + 1]![channel] * f) / 255;
    }
    default:
      return evaluate(polynomials[name as keyof typeof polynomials], channel, t);
  }
}

type Rgb = readonly [number, number, number];
/** Coefficients c0…c6 of c0 + c1·t + … + c6·t⁶, one Rgb per power. */
type Polynomial = readonly [Rgb, Rgb, Rgb, Rgb, Rgb, Rgb, Rgb];

const viridis: Polynomial = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

const inferno: Polynomial = [
  [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
  [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
  [11.60249308247187, -3.972853965665698, -15.9423941062914],
  [-41.70399613139459, 17.43639888205313, 44.35414519872813],
  [77.162935699427, -33.40235894210092, -81.80730925738993],
  [-71.31942824499214, 32.62606426397723, 73.20951985803202],
  [25.13112622477341, -12.24266895238567, -23.07032500287172],
];

const magma: Polynomial = [
  [-0.002136485053939582, -0.000749655052795221, -0.005386127855323933],
  [0.2516605407371642, 0.6775232436837668, 2.494026599312351],
  [8.353717279216625, -3.577719514958484, 0.3144679030132573],
  [-27.66873308576866, 14.26473078096533, -13.64921318813922],
  [52.17613981234068, -27.94360607168351, 12.94416944238394],
  [-50.76852536473588, 29.04658282127291, 4.23415299384598],
  [18.65570506591883, -11.48977351997711, -5.601961508734096],
];

const plasma: Polynomial = [
  [0.05873234392399702, 0.02333670892565664, 0.5433401826748754],
  [2.176514634195958, 0.2383834171260182, 0.7539604599784036],
  [-2.689460476458034, -7.455851135738909, 3.110799939717086],
  [6.130348345893603, 42.3461881477227, -28.51885465332158],
  [-11.10743619062271, -82.66631109428045, 60.13984767418263],
  [10.02306557647065, 71.41361770095349, -54.07218655560067],
  [-3.658713842777788, -22.93153465461149, 18.19190778539828],
];

const grey: Polynomial = [
  [0, 0, 0],
  [1, 1, 1],
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];

/** Google's approximation: c0…c3 from its vec4 coefficients, c4, c5 from its vec2 ones (powers t⁴, t⁵). */
const turbo: Polynomial = [
  [0.1357213, 0.09140261, 0.1066733],
  [4.6153926, 2.19418839, 12.64194608],
  [-42.66032258, 4.84296658, -60.58204836],
  [132.13108234, -14.18503333, 110.36276771],
  [-152.94239396, 4.27729857, -89.90310912],
  [59.28637943, 2.82956604, 27.34824973],
  [0, 0, 0],
];

const polynomials: Readonly<
  Record<"grey" | "turbo" | "viridis" | "inferno" | "magma" | "plasma", Polynomial>
> = {
  grey,
  turbo,
  viridis,
  inferno,
  magma,
  plasma,
};

function evaluate(p: Polynomial, channel: 0 | 1 | 2, t: number): number {
  let value = 0;
  for (let power = 6; power >= 0; power--) value = value * t + p[power]![channel];
  return value;
}

const tables = new Map<ColormapName, Uint8Array>();

export function isColormapName(name: string): name is ColormapName {
  return (colormapNames as readonly string[]).includes(name);
}

/** The 256×1 RGBA8 table of a colormap (entry i = map(i/255)); cached, do not modify. */
export function colormapTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (table === undefined) {
    table = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) {
      if (name === "rviz-map" || name === "rviz-costmap" || name === "costmap") {
        table.set(gridMapColor(name, i), 4 * i);
        continue;
      }
      for (const channel of [0, 1, 2] as const) {
        const raw = entryValue(name, channel, i);
        table[4 * i + channel] = Math.round(255 * Math.min(1, Math.max(0, raw)));
      }
      table[4 * i + 3] = 255;
    }
    tables.set(name, table);
  }
  return table;
}

/** What the shader shows for t ∈ [0, 1]: the table interpolated linearly at position 255·t (RGB, 0…255). */
export function sampleColormap(name: ColormapName, t: number): [number, number, number] {
  const [r, g, b] = sampleColormapRgba(name, t);
  return [r, g, b];
}

/**
 * RGBA (0…255, straight alpha) the shader takes from the map at t ∈ [0, 1]: the table interpolated linearly at
 * position 255·t, or its nearest entry for the categorical maps (`discreteColormaps`).
 */
export function sampleColormapRgba(name: ColormapName, t: number): [number, number, number, number] {
  const table = colormapTable(name);
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * 255;
  if (discreteColormaps.has(name)) {
    const i = Math.min(255, Math.floor(x + 0.5));
    return [table[4 * i]!, table[4 * i + 1]!, table[4 * i + 2]!, table[4 * i + 3]!];
  }
  const i0 = Math.min(254, Math.floor(x));
  const f = x - i0;
  const lerp = (c: number): number => table[4 * i0 + c]! * (1 - f) + table[4 * (i0 + 1) + c]! * f;
  return [lerp(0), lerp(1), lerp(2), lerp(3)];
}
