import { RendererError } from "./renderer-error.ts";

/** The image's top-left corner at (x, y) view pixels, each image pixel `scale` view pixels wide. */
export interface ImagePlacement {
  x: number;
  y: number;
  scale: number;
}

/**
 * Where an image goes, mapping image pixel coordinates (origin top-left, +x right, +y down; pixel (i, j)
 * covers [i, i+1]×[j, j+1]) to view coordinates (pixels of the current viewport, origin top-left, +y down):
 * a placement, a column-major 3×3 homogeneous 2D matrix (9 numbers), or a column-major 4×4 matrix (16
 * numbers, applied to (x, y, 0, 1); x, y and w are used, so projective maps interpolate perspective-correctly).
 */
export type ViewFromImage = ImagePlacement | ArrayLike<number>;

function isPlacement(v: ViewFromImage): v is ImagePlacement {
  return typeof (v as ImagePlacement).scale === "number";
}

/** The 4×4 column-major view-from-image matrix of any `ViewFromImage`. */
export function viewFromImageMatrix(viewFromImage: ViewFromImage): Float64Array {
  const m = new Float64Array(16);
  if (isPlacement(viewFromImage)) {
    const { x, y, scale } = viewFromImage;
    m.set([scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, 1, 0, x, y, 0, 1]);
  } else if (viewFromImage.length === 9) {
    const a = Array.from(viewFromImage);
    m.set([a[0]!, a[1]!, 0, a[2]!, a[3]!, a[4]!, 0, a[5]!, 0, 0, 1, 0, a[6]!, a[7]!, 0, a[8]!]);
  } else if (viewFromImage.length === 16) {
    m.set(Array.from(viewFromImage));
  } else {
    throw new RendererError("invalid-option", "viewFromImage must be {x, y, scale}, 9 or 16 numbers", {
      expected: "placement, 3×3 or 4×4 column-major matrix",
      actual: `${viewFromImage.length} numbers`,
    });
  }
  if (!m.every(Number.isFinite)) {
    throw new RendererError("invalid-option", "viewFromImage contains a non-finite number", {
      expected: "finite numbers",
      actual: Array.from(m).join(", "),
    });
  }
  return m;
}

/** Clip-from-image for a viewport of `width`×`height` pixels; clip z is forced to 0. */
export function clipFromImageMatrix(
  viewFromImage: ViewFromImage,
  width: number,
  height: number,
): Float32Array {
  const v = viewFromImageMatrix(viewFromImage);
  // clipFromView: x_c = 2x/width − 1, y_c = 1 − 2y/height (view +y is down), z_c = 0.
  const sx = 2 / width;
  const sy = -2 / height;
  const out = new Float32Array(16);
  for (let col = 0; col < 4; col++) {
    const x = v[4 * col]!;
    const y = v[4 * col + 1]!;
    const w = v[4 * col + 3]!;
    out[4 * col] = sx * x - w;
    out[4 * col + 1] = sy * y + w;
    out[4 * col + 2] = 0;
    out[4 * col + 3] = w;
  }
  return out;
}
