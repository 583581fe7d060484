/**
 * The grid-map colormaps of Rerun 0.41 (`Colormap::RvizMap`, `RvizCostmap`, `Costmap`): categorical palettes over
 * the 256 values of a signed-char cell as ROS stores it (its raw value reinterpreted as 0…255), not gradients.
 *
 * - rviz-map: RViz's "map" palette (map_display.cpp): 0…100 occupancy in percent, white (free) to black (occupied);
 *   101…127 illegal positive values in green; 128…254 illegal negative values on a red → yellow ramp; 255 (−1,
 *   unknown) teal grey (112, 137, 134).
 * - rviz-costmap: RViz's "costmap" palette: 0 (free) transparent; 1…98 cost on a blue → red ramp; 99 (inscribed
 *   obstacle) cyan; 100 (lethal) magenta; 101…255 as rviz-map.
 * - costmap: Rerun's restyling of the cost map with its brand colours (#86D9A6 green, #F6DA75 yellow, #D72F21 red,
 *   #186ADD blue): 0 transparent; 1…98 green → yellow; 99 red; 100 blue; 101…127 green; 128…254 red → yellow;
 *   255 as above.
 *
 * Each entry is exact (Rerun computes the colours in float from the rounded cell value, so a ramp colour is
 * round(255·x), not RViz's integer-truncated one).
 */
export type GridMapPalette = "rviz-map" | "rviz-costmap" | "costmap";

type Rgba = [number, number, number, number];

const unknown: Rgba = [112, 137, 134, 255];
const green = [134, 217, 166] as const;
const yellow = [246, 218, 117] as const;
const red = [215, 47, 33] as const;
const blue = [24, 106, 221] as const;

function mix(a: readonly number[], b: readonly number[], f: number): Rgba {
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)).concat(255) as Rgba;
}

/** Illegal values 101…255, shared by all three palettes except costmap's 101…127. */
function illegal(v: number): Rgba {
  if (v < 128) return [0, 255, 0, 255];
  if (v < 255) return [255, Math.round((255 * (v - 128)) / 126), 0, 255];
  return unknown;
}

/** Straight-alpha RGBA8 of cell value `v` (0…255) in `palette`. */
export function gridMapColor(palette: GridMapPalette, v: number): Rgba {
  switch (palette) {
    case "rviz-map": {
      if (v > 100) return illegal(v);
      const g = Math.round(255 - (v * 255) / 100);
      return [g, g, g, 255];
    }
    case "rviz-costmap": {
      if (v === 0) return [0, 0, 0, 0];
      if (v < 99) {
        const x = Math.round((v * 255) / 100);
        return [x, 0, 255 - x, 255];
      }
      if (v === 99) return [0, 255, 255, 255];
      if (v === 100) return [255, 0, 255, 255];
      return illegal(v);
    }
    case "costmap": {
      if (v === 0) return [0, 0, 0, 0];
      if (v < 99) return mix(green, yellow, v / 98);
      if (v === 99) return [...red, 255];
      if (v === 100) return [...blue, 255];
      if (v < 128) return [...green, 255];
      if (v < 255) return mix(red, yellow, (v - 128) / 126);
      return unknown;
    }
  }
}
