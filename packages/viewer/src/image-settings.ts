import type { ColormapName } from "@iris/renderer";

/** How a single-channel or non-U8 image is mapped to colour (Iris additions over Rerun: #4306, #8125, #6897). */
export interface ImageSettings {
  /** "auto" = Rerun's heuristic; "percentile" = 1st–99th percentile; "manual" = `min`/`max`. */
  rangeMode: "auto" | "percentile" | "manual";
  min: number;
  max: number;
  colormap: ColormapName;
  /** Whether the user picked `colormap`; until then a depth image's logged colormap (at the current time) is used. */
  colormapChosen: boolean;
}

export function defaultImageSettings(): ImageSettings {
  return { rangeMode: "auto", min: 0, max: 1, colormap: "grey", colormapChosen: false };
}
