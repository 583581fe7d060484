/**
 * 256-entry RGBA8 colormap tables, generated in TypeScript from a published table and published fits (independent of Rerun's code):
 *
 * - turbo: Google's official 256-entry table (`turbo-table.ts`, Apache-2.0, Anton Mikhailov). The popular
 *   degree-5 polynomial approximation of Turbo is off by up to ~22/255 at the ends, so the table is used.
 * - viridis, inferno, magma, plasma: Matt Zucker's degree-6 minimax polynomial fits of the matplotlib maps
 *   (data from https://github.com/BIDS/colormap, CC0), CC0, https://www.shadertoy.com/view/WlfXRN. They stay
 *   within ~5/255 of matplotlib's tables (checked at the ends in colormap.test.ts).
 * - grey: the identity ramp.
 *
 * Entry i is the map at t = i/255 (polynomials evaluated there), clamped to [0, 1] and rounded to 8 bits. The shader samples the table with
 * linear filtering at texel centres, so t between entries interpolates linearly (`sampleColormap`).
 */
import { turboTable } from "./turbo-table.ts";

export type ColormapName = "grey" | "turbo" | "viridis" | "inferno" | "magma" | "plasma";

export const colormapNames: readonly ColormapName[] = [
  "grey",
  "turbo",
  "viridis",
  "inferno",
  "magma",
  "plasma",
];

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

const polynomials: Readonly<Record<Exclude<ColormapName, "turbo">, Polynomial>> = {
  grey,
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
      const t = i / 255;
      for (const channel of [0, 1, 2] as const) {
        const raw = name === "turbo" ? turboTable[3 * i + channel]! : evaluate(polynomials[name], channel, t);
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
  const table = colormapTable(name);
  const x = Math.min(1, Math.max(0, t)) * 255;
  const i0 = Math.min(254, Math.floor(x));
  const f = x - i0;
  const lerp = (c: number): number => table[4 * i0 + c]! * (1 - f) + table[4 * (i0 + 1) + c]! * f;
  return [lerp(0), lerp(1), lerp(2)];
}
