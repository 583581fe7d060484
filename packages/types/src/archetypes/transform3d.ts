import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import {
  RotationAxisAngleType,
  RotationQuatType,
  Scale3DType,
  TransformFrameIdType,
  TransformMat3x3Type,
  TransformRelationType,
  Translation3DType,
} from "../components/spatial-types.ts";
import { descriptor } from "./archetype-descriptors.ts";
import {
  ArchetypeError,
  describeValue,
  finite,
  nonEmptyString,
  parseNamedEnum,
  rowsToColumnMajor,
  vector,
} from "./archetype-values.ts";

export const Transform3DDescriptors = {
  translation: descriptor("Transform3D", "translation", "Translation3D"),
  rotationAxisAngle: descriptor("Transform3D", "rotation_axis_angle", "RotationAxisAngle"),
  quaternion: descriptor("Transform3D", "quaternion", "RotationQuat"),
  scale: descriptor("Transform3D", "scale", "Scale3D"),
  mat3x3: descriptor("Transform3D", "mat3x3", "TransformMat3x3"),
  relation: descriptor("Transform3D", "relation", "TransformRelation"),
  childFrame: descriptor("Transform3D", "child_frame", "TransformFrameId"),
  parentFrame: descriptor("Transform3D", "parent_frame", "TransformFrameId"),
} as const;

export const TransformRelation = { ParentFromChild: 1, ChildFromParent: 2 } as const;
export type TransformRelation = (typeof TransformRelation)[keyof typeof TransformRelation];

/** A rotation: a quaternion [x, y, z, w] or an axis and an angle in radians. */
export type RotationLike =
  | readonly [number, number, number, number]
  | { readonly axis: readonly [number, number, number]; readonly angle: number };

export interface Transform3DOptions {
  translation?: readonly [number, number, number];
  rotation?: RotationLike;
  /** Uniform (one number) or per axis. */
  scale?: number | readonly [number, number, number];
  /** 9 numbers in Rerun's **column-major** order. */
  mat3x3?: readonly number[] | Float32Array;
  /** The same matrix given row by row (converted to column-major). */
  mat3x3Rows?: readonly (readonly number[])[];
  /** Default (not logged): ParentFromChild. */
  relation?: TransformRelation | "ParentFromChild" | "ChildFromParent";
  childFrame?: string;
  parentFrame?: string;
}

function parseRotation(
  r: RotationLike,
): { quaternion: number[] } | { axisAngle: { axis: [number, number, number]; angle: number } } {
  if (Array.isArray(r) || ArrayBuffer.isView(r)) {
    const q = vector("Transform3D rotation quaternion", r, 4);
    if (Math.hypot(...q) === 0) {
      throw new ArchetypeError("invalid-value", "Transform3D rotation quaternion must not be [0, 0, 0, 0]", {
        expected: "non-zero quaternion [x, y, z, w]",
        actual: describeValue(q),
      });
    }
    return { quaternion: q };
  }
  if (r !== null && typeof r === "object" && "axis" in r && "angle" in r) {
    const axis = vector("Transform3D rotation axis", r.axis, 3);
    if (Math.hypot(...axis) === 0) {
      throw new ArchetypeError("invalid-value", "Transform3D rotation axis must not be [0, 0, 0]", {
        expected: "non-zero axis",
        actual: describeValue(axis),
      });
    }
    const angle = finite("Transform3D rotation angle (radians)", r.angle);
    return { axisAngle: { axis: axis as [number, number, number], angle } };
  }
  throw new ArchetypeError(
    "invalid-value",
    `Transform3D rotation must be a quaternion [x, y, z, w] or { axis, angle }, got ${describeValue(r)}`,
    { expected: "[x, y, z, w] or { axis, angle }", actual: describeValue(r) },
  );
}

/**
 * Rerun's Transform3D archetype: the transform of an entity relative to its parent. Components are applied
 * mat3x3 first, then scale, then rotation, then translation. Only the given components are logged; the viewer
 * treats a logged Transform3D as a whole, so components not given in a row are reset for that row.
 */
export class Transform3D implements AsComponents {
  readonly translation: readonly number[] | undefined;
  readonly quaternion: readonly number[] | undefined;
  readonly rotationAxisAngle:
    { readonly axis: readonly [number, number, number]; readonly angle: number } | undefined;
  readonly scale: readonly number[] | undefined;
  /** Column-major. */
  readonly mat3x3: readonly number[] | undefined;
  readonly relation: TransformRelation | undefined;
  readonly childFrame: string | undefined;
  readonly parentFrame: string | undefined;

  constructor(options: Transform3DOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new ArchetypeError(
        "invalid-value",
        `Transform3D options must be an object, got ${describeValue(options)}`,
        {
          expected: "{ translation?, rotation?, scale?, mat3x3?, … }",
          actual: describeValue(options),
        },
      );
    }
    this.translation =
      options.translation === undefined
        ? undefined
        : vector("Transform3D translation", options.translation, 3);
    const rotation = options.rotation === undefined ? undefined : parseRotation(options.rotation);
    this.quaternion = rotation && "quaternion" in rotation ? rotation.quaternion : undefined;
    this.rotationAxisAngle = rotation && "axisAngle" in rotation ? rotation.axisAngle : undefined;
    if (options.scale === undefined) {
      this.scale = undefined;
    } else if (typeof options.scale === "number") {
      const s = finite("Transform3D scale", options.scale);
      this.scale = [s, s, s];
    } else {
      this.scale = vector("Transform3D scale", options.scale, 3);
    }
    if (options.mat3x3 !== undefined && options.mat3x3Rows !== undefined) {
      throw new ArchetypeError(
        "conflicting-options",
        "Transform3D: give mat3x3 (column-major) or mat3x3Rows, not both",
        { expected: "one of mat3x3, mat3x3Rows", actual: "both" },
      );
    }
    this.mat3x3 =
      options.mat3x3 !== undefined
        ? vector("Transform3D mat3x3", options.mat3x3, 9)
        : options.mat3x3Rows !== undefined
          ? rowsToColumnMajor("Transform3D mat3x3Rows", options.mat3x3Rows)
          : undefined;
    this.relation =
      options.relation === undefined
        ? undefined
        : parseNamedEnum("TransformRelation", TransformRelation, options.relation);
    this.childFrame =
      options.childFrame === undefined
        ? undefined
        : nonEmptyString("Transform3D childFrame", options.childFrame);
    this.parentFrame =
      options.parentFrame === undefined
        ? undefined
        : nonEmptyString("Transform3D parentFrame", options.parentFrame);
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const d = Transform3DDescriptors;
    const out: ComponentBatch[] = [];
    if (this.translation) out.push(batch(d.translation, Translation3DType, [this.translation]));
    if (this.rotationAxisAngle)
      out.push(batch(d.rotationAxisAngle, RotationAxisAngleType, [this.rotationAxisAngle]));
    if (this.quaternion) out.push(batch(d.quaternion, RotationQuatType, [this.quaternion]));
    if (this.scale) out.push(batch(d.scale, Scale3DType, [this.scale]));
    if (this.mat3x3) out.push(batch(d.mat3x3, TransformMat3x3Type, [this.mat3x3]));
    if (this.relation !== undefined) out.push(batch(d.relation, TransformRelationType, [this.relation]));
    if (this.childFrame !== undefined) out.push(batch(d.childFrame, TransformFrameIdType, [this.childFrame]));
    if (this.parentFrame !== undefined)
      out.push(batch(d.parentFrame, TransformFrameIdType, [this.parentFrame]));
    return out;
  }
}
