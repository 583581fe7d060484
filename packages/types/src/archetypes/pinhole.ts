import type { AsComponents, ComponentBatch, ComponentColumn } from "../component-batch.ts";
import { batch, column } from "../component-batch.ts";
import {
  ColorType,
  ImagePlaneDistanceType,
  PinholeProjectionType,
  RadiusType,
  ResolutionType,
  TransformFrameIdType,
  ViewCoordinatesType,
} from "../components/spatial-types.ts";
import { descriptor } from "./archetype-descriptors.ts";
import {
  ArchetypeError,
  type ColorLike,
  describeValue,
  finite,
  nonEmptyString,
  packColor,
  rowsToColumnMajor,
  vector,
} from "./archetype-values.ts";

export const PinholeDescriptors = {
  imageFromCamera: descriptor("Pinhole", "image_from_camera", "PinholeProjection"),
  resolution: descriptor("Pinhole", "resolution", "Resolution"),
  cameraXyz: descriptor("Pinhole", "camera_xyz", "ViewCoordinates"),
  childFrame: descriptor("Pinhole", "child_frame", "TransformFrameId"),
  parentFrame: descriptor("Pinhole", "parent_frame", "TransformFrameId"),
  imagePlaneDistance: descriptor("Pinhole", "image_plane_distance", "ImagePlaneDistance"),
  color: descriptor("Pinhole", "color", "Color"),
  lineWidth: descriptor("Pinhole", "line_width", "Radius"),
} as const;

/** Directions of ViewCoordinates axes (rrd-format.md §5.2). */
export const ViewDir = { Up: 1, Down: 2, Right: 3, Left: 4, Forward: 5, Back: 6 } as const;
const letters: Record<string, number> = { U: 1, D: 2, R: 3, L: 4, F: 5, B: 6 };

/** `"RDF"`, `"rub"`, … or three direction numbers `[3, 2, 5]`. */
export type ViewCoordinatesLike = string | readonly [number, number, number];

/** Parses view coordinates; the three axes must point along three different dimensions. */
export function parseViewCoordinates(context: string, v: ViewCoordinatesLike): [number, number, number] {
  let dirs: number[];
  if (typeof v === "string") {
    const s = v.trim().toUpperCase();
    if (s.length !== 3 || [...s].some((c) => letters[c] === undefined)) {
      throw new ArchetypeError(
        "invalid-value",
        `${context} must be three letters of U, D, R, L, F, B (e.g. "RDF"), got ${describeValue(v)}`,
        { expected: "three of U/D/R/L/F/B", actual: describeValue(v) },
      );
    }
    dirs = [...s].map((c) => letters[c]!);
  } else {
    dirs = vector(context, v, 3);
    dirs.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1 || d > 6) {
        throw new ArchetypeError("unknown-enum", `${context}[${i}] must be a direction 1..6, got ${d}`, {
          expected: "1..6 (Up, Down, Right, Left, Forward, Back)",
          actual: d,
        });
      }
    });
  }
  const dims = new Set(dirs.map((d) => Math.floor((d - 1) / 2)));
  if (dims.size !== 3) {
    throw new ArchetypeError(
      "invalid-value",
      `${context} ${describeValue(v)} uses a dimension twice; expected one of up/down, one of left/right and one of forward/back`,
      { expected: "one axis per dimension", actual: describeValue(v) },
    );
  }
  return dirs as [number, number, number];
}

/** Optional Pinhole components shared by the constructors. */
export interface PinholeStyle {
  /** Camera axes; the viewer assumes RDF (X=Right, Y=Down, Z=Forward) when not logged. */
  cameraXyz?: ViewCoordinatesLike;
  /** Distance of the image plane from the camera origin in the 3D view (scene units). */
  imagePlaneDistance?: number;
  /** Frustum colour. */
  color?: ColorLike;
  /** Frustum line width (UI points). */
  lineWidth?: number;
  childFrame?: string;
  parentFrame?: string;
}

export interface PinholeOptions extends PinholeStyle {
  /** The 3×3 intrinsics as 9 numbers in Rerun's **column-major** order: [fx, 0, 0, 0, fy, 0, cx, cy, 1]. */
  imageFromCamera?: readonly number[] | Float32Array;
  /** The same matrix given row by row: [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]. */
  imageFromCameraRows?: readonly (readonly number[])[];
  /** [width, height] in pixels. */
  resolution?: readonly [number, number];
}

/** Rerun's default camera axes. */
export const RDF: readonly [number, number, number] = [3, 2, 5];

/**
 * Rerun's Pinhole archetype: a camera projection (`image_from_camera`, column-major), its resolution and optional
 * frustum styling. Images logged on the same entity (or below it) are shown in 3D on the camera's image plane.
 */
export class Pinhole implements AsComponents {
  /** Column-major 3×3. */
  readonly imageFromCamera: readonly number[];
  readonly resolution: readonly [number, number] | undefined;
  /** Given camera axes (undefined = not logged; the viewer then uses RDF). */
  readonly cameraXyz: readonly [number, number, number] | undefined;
  readonly imagePlaneDistance: number | undefined;
  /** Packed 0xRRGGBBAA. */
  readonly color: number | undefined;
  readonly lineWidth: number | undefined;
  readonly childFrame: string | undefined;
  readonly parentFrame: string | undefined;

  constructor(options: PinholeOptions) {
    if (options === null || typeof options !== "object") {
      throw new ArchetypeError("missing-value", "Pinhole needs options with imageFromCamera", {
        expected: "{ imageFromCamera, resolution?, … }",
        actual: describeValue(options),
      });
    }
    if (options.imageFromCamera !== undefined && options.imageFromCameraRows !== undefined) {
      throw new ArchetypeError(
        "conflicting-options",
        "Pinhole: give imageFromCamera (column-major) or imageFromCameraRows, not both",
        { expected: "one of imageFromCamera, imageFromCameraRows", actual: "both" },
      );
    }
    if (options.imageFromCamera !== undefined) {
      this.imageFromCamera = vector("Pinhole imageFromCamera", options.imageFromCamera, 9);
    } else if (options.imageFromCameraRows !== undefined) {
      this.imageFromCamera = rowsToColumnMajor("Pinhole imageFromCameraRows", options.imageFromCameraRows);
    } else {
      throw new ArchetypeError(
        "missing-value",
        "Pinhole needs imageFromCamera (or use Pinhole.fromFocalLength / Pinhole.fromFieldsOfView)",
        { expected: "imageFromCamera", actual: "none" },
      );
    }
    if (options.resolution !== undefined) {
      const [w, h] = vector("Pinhole resolution", options.resolution, 2);
      finite("Pinhole resolution width", w, { positive: true });
      finite("Pinhole resolution height", h, { positive: true });
      this.resolution = [w!, h!];
    } else {
      this.resolution = undefined;
    }
    this.cameraXyz =
      options.cameraXyz === undefined
        ? undefined
        : parseViewCoordinates("Pinhole cameraXyz", options.cameraXyz);
    this.imagePlaneDistance =
      options.imagePlaneDistance === undefined
        ? undefined
        : finite("Pinhole imagePlaneDistance", options.imagePlaneDistance, { positive: true });
    this.color = options.color === undefined ? undefined : packColor("Pinhole color", options.color);
    this.lineWidth =
      options.lineWidth === undefined
        ? undefined
        : finite("Pinhole lineWidth", options.lineWidth, { min: 0 });
    this.childFrame =
      options.childFrame === undefined ? undefined : nonEmptyString("Pinhole childFrame", options.childFrame);
    this.parentFrame =
      options.parentFrame === undefined
        ? undefined
        : nonEmptyString("Pinhole parentFrame", options.parentFrame);
  }

  /**
   * From a focal length in pixels (one value, or [fx, fy] for anamorphic cameras) and the image size; the principal
   * point defaults to the image centre [width/2, height/2] (as Rerun's Python `Pinhole(focal_length=…, width=…,
   * height=…)`).
   */
  static fromFocalLength(
    options: {
      focalLength: number | readonly [number, number];
      principalPoint?: readonly [number, number];
      width: number;
      height: number;
    } & PinholeStyle,
  ): Pinhole {
    const { focalLength, principalPoint, width, height, ...style } = options;
    finite("Pinhole width", width, { positive: true });
    finite("Pinhole height", height, { positive: true });
    const [fx, fy] =
      typeof focalLength === "number"
        ? [finite("Pinhole focalLength", focalLength, { positive: true }), focalLength]
        : vector("Pinhole focalLength", focalLength, 2);
    finite("Pinhole focalLength x", fx, { positive: true });
    finite("Pinhole focalLength y", fy, { positive: true });
    const [cx, cy] =
      principalPoint === undefined
        ? [width / 2, height / 2]
        : vector("Pinhole principalPoint", principalPoint, 2);
    return new Pinhole({
      ...style,
      imageFromCamera: [fx!, 0, 0, 0, fy!, 0, cx!, cy!, 1],
      resolution: [width, height],
    });
  }

  /**
   * From a vertical field of view (radians) and an aspect ratio (width / height), as Rerun's Python
   * `Pinhole(fov_y=…, aspect_ratio=…)`: the image space is normalised to height 1, i.e. resolution
   * [aspectRatio, 1], focal length 0.5 / tan(max(fovY / 2, 1.19209e-7)) and principal point at the centre.
   */
  static fromFieldsOfView(options: { fovY: number; aspectRatio: number } & PinholeStyle): Pinhole {
    const { fovY, aspectRatio, ...style } = options;
    finite("Pinhole fovY", fovY, { positive: true });
    if (fovY >= Math.PI) {
      throw new ArchetypeError("invalid-value", `Pinhole fovY must be below π radians, got ${fovY}`, {
        expected: "0 < fovY < π (radians)",
        actual: fovY,
      });
    }
    finite("Pinhole aspectRatio", aspectRatio, { positive: true });
    const EPSILON = 1.19209e-7;
    const focal = 0.5 / Math.tan(Math.max(fovY * 0.5, EPSILON));
    return Pinhole.fromFocalLength({ ...style, focalLength: focal, width: aspectRatio, height: 1 });
  }

  /** [fx, fy] from the matrix diagonal. */
  get focalLength(): [number, number] {
    return [this.imageFromCamera[0]!, this.imageFromCamera[4]!];
  }

  /** [cx, cy] from the matrix's last column. */
  get principalPoint(): [number, number] {
    return [this.imageFromCamera[6]!, this.imageFromCamera[7]!];
  }

  /** Camera axes in effect (RDF when not given). */
  get effectiveCameraXyz(): readonly [number, number, number] {
    return this.cameraXyz ?? RDF;
  }

  /** Columns for `sendColumns`, one entry per row: e.g. a camera whose intrinsics change over time. */
  static columns(columns: {
    imageFromCamera?: readonly (readonly number[])[];
    resolution?: readonly (readonly [number, number])[];
  }): ComponentColumn[] {
    const out: ComponentColumn[] = [];
    const { imageFromCamera, resolution } = columns;
    if (imageFromCamera && resolution && imageFromCamera.length !== resolution.length) {
      throw new ArchetypeError(
        "wrong-length",
        `Pinhole.columns: imageFromCamera has ${imageFromCamera.length} rows but resolution has ${resolution.length}`,
        { expected: imageFromCamera.length, actual: resolution.length },
      );
    }
    if (imageFromCamera) {
      const rows = imageFromCamera.map((m, i) => [vector(`Pinhole.columns imageFromCamera[${i}]`, m, 9)]);
      out.push(column(PinholeDescriptors.imageFromCamera, PinholeProjectionType, rows));
    }
    if (resolution) {
      const rows = resolution.map((r, i) => [vector(`Pinhole.columns resolution[${i}]`, r, 2)]);
      out.push(column(PinholeDescriptors.resolution, ResolutionType, rows));
    }
    return out;
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const out: ComponentBatch[] = [
      batch(PinholeDescriptors.imageFromCamera, PinholeProjectionType, [this.imageFromCamera]),
    ];
    if (this.resolution) out.push(batch(PinholeDescriptors.resolution, ResolutionType, [this.resolution]));
    if (this.cameraXyz) out.push(batch(PinholeDescriptors.cameraXyz, ViewCoordinatesType, [this.cameraXyz]));
    if (this.childFrame !== undefined)
      out.push(batch(PinholeDescriptors.childFrame, TransformFrameIdType, [this.childFrame]));
    if (this.parentFrame !== undefined)
      out.push(batch(PinholeDescriptors.parentFrame, TransformFrameIdType, [this.parentFrame]));
    if (this.imagePlaneDistance !== undefined) {
      out.push(
        batch(PinholeDescriptors.imagePlaneDistance, ImagePlaneDistanceType, [this.imagePlaneDistance]),
      );
    }
    if (this.color !== undefined) out.push(batch(PinholeDescriptors.color, ColorType, [this.color]));
    if (this.lineWidth !== undefined)
      out.push(batch(PinholeDescriptors.lineWidth, RadiusType, [this.lineWidth]));
    return out;
  }
}
