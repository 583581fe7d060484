import { type Data, Field, Float32, makeData, Struct } from "apache-arrow";
import type { ComponentType } from "../component-type.ts";
import { fixedSizeListOf, primitiveData } from "./arrow-builders.ts";
import {
  fixedSizeListComponent,
  float32Component,
  uint8Component,
  uint16Component,
  uint32Component,
  utf8Component,
} from "./primitive-types.ts";

// Component types of Pinhole, Transform3D, DepthImage and SegmentationImage (rrd-format.md §5.2/§5.3).

/** `rerun.components.PinholeProjection`: Mat3x3 = `FSL(9, Float32)`, column-major. */
export const PinholeProjectionType = fixedSizeListComponent("rerun.components.PinholeProjection", "f32", 9);
/** `rerun.components.Resolution`: Vec2D = `FSL(2, Float32)`, [width, height]. */
export const ResolutionType = fixedSizeListComponent("rerun.components.Resolution", "f32", 2);
/** `rerun.components.ViewCoordinates`: `FSL(3, UInt8)`, one direction per axis (Up=1 … Back=6). */
export const ViewCoordinatesType = fixedSizeListComponent("rerun.components.ViewCoordinates", "u8", 3);
/** `rerun.components.TransformFrameId`: Utf8. */
export const TransformFrameIdType = utf8Component("rerun.components.TransformFrameId");
/** `rerun.components.ImagePlaneDistance`: Float32. */
export const ImagePlaneDistanceType = float32Component("rerun.components.ImagePlaneDistance");
/** `rerun.components.Color`: Rgba32 = UInt32, 0xRRGGBBAA. */
export const ColorType = uint32Component("rerun.components.Color");
/** `rerun.components.Radius`: Float32 (Pinhole line width). */
export const RadiusType = float32Component("rerun.components.Radius");

/** `rerun.components.Translation3D`: Vec3D = `FSL(3, Float32)`. */
export const Translation3DType = fixedSizeListComponent("rerun.components.Translation3D", "f32", 3);
/** `rerun.components.RotationQuat`: `FSL(4, Float32)`, x, y, z, w. */
export const RotationQuatType = fixedSizeListComponent("rerun.components.RotationQuat", "f32", 4);
/** `rerun.components.Scale3D`: Vec3D = `FSL(3, Float32)`. */
export const Scale3DType = fixedSizeListComponent("rerun.components.Scale3D", "f32", 3);
/** `rerun.components.TransformMat3x3`: `FSL(9, Float32)`, column-major. */
export const TransformMat3x3Type = fixedSizeListComponent("rerun.components.TransformMat3x3", "f32", 9);
/** `rerun.components.TransformRelation`: UInt8 enum (ParentFromChild=1, ChildFromParent=2). */
export const TransformRelationType = uint8Component("rerun.components.TransformRelation");

/** Axis (need not be normalised; the viewer normalises) and angle in radians. */
export interface RotationAxisAngleValue {
  readonly axis: readonly [number, number, number];
  readonly angle: number;
}

const rotationAxisAngleArrowType = new Struct([
  new Field("axis", fixedSizeListOf(new Float32(), 3), false),
  new Field("angle", new Float32(), false),
]);

/** `rerun.components.RotationAxisAngle`: `Struct{ axis: FSL(3, Float32) nn, angle: Float32 nn }`. */
export const RotationAxisAngleType: ComponentType<RotationAxisAngleValue> = {
  name: "rerun.components.RotationAxisAngle",
  arrowType: rotationAxisAngleArrowType,
  toArrow(values) {
    const n = values.length;
    const axisType = rotationAxisAngleArrowType.children[0]!.type;
    const flat = new Float32Array(n * 3);
    values.forEach((v, i) => flat.set(v.axis, i * 3));
    const axis = makeData({
      type: axisType,
      length: n,
      nullCount: 0,
      child: primitiveData(new Float32(), flat, flat.length),
    });
    const angle = primitiveData(
      new Float32(),
      Float32Array.from(values, (v) => v.angle),
      n,
    );
    return makeData({ type: rotationAxisAngleArrowType, length: n, nullCount: 0, children: [axis, angle] });
  },
  fromArrow(data: Data, index) {
    const [axis, angle] = data.children as Data[];
    const xyz = axis!.children[0]!.values as Float32Array;
    // Arrow JS slices struct and fixed-size-list children together with the parent: plain indices.
    const start = index * 3;
    return {
      axis: [xyz[start]!, xyz[start + 1]!, xyz[start + 2]!],
      angle: (angle!.values as Float32Array)[index]!,
    };
  },
};

/** `rerun.components.DepthMeter`: Float32, depth units per meter. */
export const DepthMeterType = float32Component("rerun.components.DepthMeter");
/** `rerun.components.Colormap`: UInt8 enum. */
export const ColormapType = uint8Component("rerun.components.Colormap");
/** `rerun.components.ValueRange`: Range1D = `FSL(2, Float64)`, [min, max]. */
export const ValueRangeType = fixedSizeListComponent("rerun.components.ValueRange", "f64", 2);
/** `rerun.components.FillRatio`: Float32. */
export const FillRatioType = float32Component("rerun.components.FillRatio");
/** `rerun.components.ClassId`: UInt16. */
export const ClassIdType = uint16Component("rerun.components.ClassId");
