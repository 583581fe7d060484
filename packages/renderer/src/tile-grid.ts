import { RendererError } from "./renderer-error.ts";

/** One tile along one axis: pixels [start, end) are drawn; the texture holds [textureStart, textureEnd). */
export interface TileSpan {
  readonly start: number;
  readonly end: number;
  readonly textureStart: number;
  readonly textureEnd: number;
}

/**
 * Splits an axis of `size` pixels into tiles whose textures are at most `maxTextureSize` texels.
 * When the axis fits there is one tile. Otherwise each tile draws `maxTextureSize − 2` pixels and its texture
 * carries one extra texel on each side (an apron copied from the neighbours), so that linear filtering at a
 * tile border reads the same texels as an untiled image: tiled and untiled images look identical.
 */
export function tileSpans(size: number, maxTextureSize: number): TileSpan[] {
  if (size <= maxTextureSize) return [{ start: 0, end: size, textureStart: 0, textureEnd: size }];
  if (maxTextureSize < 3) {
    throw new RendererError(
      "too-large",
      `Cannot tile ${size} pixels into textures of ${maxTextureSize} texels`,
      {
        expected: "max texture size ≥ 3 for tiling",
        actual: String(maxTextureSize),
      },
    );
  }
  const step = maxTextureSize - 2;
  const spans: TileSpan[] = [];
  for (let start = 0; start < size; start += step) {
    const end = Math.min(start + step, size);
    spans.push({ start, end, textureStart: Math.max(0, start - 1), textureEnd: Math.min(size, end + 1) });
  }
  return spans;
}
