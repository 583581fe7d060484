/**
 * Resolves where every entity is in the 3D world (Rerun's `re_tf` transform forest, restricted to the entity
 * tree): world_from_entity is the product of each ancestor's Transform3D (parent_from_child), root first; an
 * entity with a Pinhole turns its own content and its descendants into 2D image-plane content, placed by
 * `pinhole3dFromImagePlane` at the image plane distance (rrd-format.md §5.3, image-archetype-detail.md §5.6).
 */
import { entityPathPrefixes } from "./entity-path-parts.ts";
import { latestRow } from "./image-visualizer.ts";
import type { ChunkStore, QueryRow } from "@iris/store";
import {
  ImagePlaneDistanceType,
  PinholeProjectionType,
  ResolutionType,
  RotationAxisAngleType,
  RotationQuatType,
  Scale3DType,
  TransformMat3x3Type,
  TransformRelationType,
  Translation3DType,
  ViewCoordinatesType,
  ColorType,
  type ComponentType,
} from "@iris/types";
import {
  type Mat4,
  type Vec3,
  fromAxisAngle,
  fromMat3,
  fromQuaternion,
  identity,
  invert,
  multiply,
  multiplyAll,
  scaling,
  translation,
} from "./mat4.ts";
import type { QueryTime } from "./image-visualizer.ts";

/** The components of one Transform3D row (absent = not part of that row). */
export interface Transform3DValue {
  translation?: Vec3;
  quaternion?: readonly [number, number, number, number];
  axisAngle?: { axis: Vec3; angle: number };
  scale?: Vec3;
  /** Column-major. */
  mat3x3?: readonly number[];
  /** 1 = ParentFromChild (default), 2 = ChildFromParent. */
  relation?: number;
}

export interface PinholeValue {
  /** Column-major 3×3 intrinsics. */
  imageFromCamera: readonly number[];
  resolution?: readonly [number, number];
  /** View coordinates of the camera space; RDF when absent. */
  cameraXyz?: readonly [number, number, number];
  imagePlaneDistance?: number;
  /** 0xRRGGBBAA. */
  color?: number;
}

/** Where the per-entity values come from (the store at a time, or a table in unit tests). */
export interface TransformSource {
  transform3d(entityPath: string): Transform3DValue | undefined;
  pinhole(entityPath: string): PinholeValue | undefined;
}

export interface ResolvedPinhole extends PinholeValue {
  readonly entityPath: string;
  /** world_from_camera (the camera's 3D space, in its own `cameraXyz` axes). */
  readonly worldFromCamera: Mat4;
  /** world_from_image: image pixel (x, y, 0, 1) → world, on the plane at `distance`. */
  readonly worldFromImage: Mat4;
  readonly distance: number;
}

export interface ResolvedEntity {
  /** world_from_entity; for 2D content under a pinhole this maps image pixel coordinates (x, y, 0) to the world. */
  readonly worldFromEntity: Mat4;
  /** The closest pinhole on the path (this entity or an ancestor), if any: the entity is then 2D content. */
  readonly pinhole: ResolvedPinhole | undefined;
}

/** Rerun's default camera axes: X = Right, Y = Down, Z = Forward. */
export const RDF_XYZ: readonly [number, number, number] = [3, 2, 5];

/** The 3D transform of one Transform3D row: translation · rotation · scale · mat3x3, inverted for ChildFromParent. */
export function transform3dMatrix(t: Transform3DValue): Mat4 {
  const parts: Mat4[] = [];
  if (t.translation) parts.push(translation(t.translation));
  if (t.quaternion) parts.push(fromQuaternion(t.quaternion));
  if (t.axisAngle) parts.push(fromAxisAngle(t.axisAngle.axis, t.axisAngle.angle));
  if (t.scale) parts.push(scaling(t.scale));
  if (t.mat3x3) parts.push(fromMat3(t.mat3x3));
  const m = multiplyAll(...parts);
  if (t.relation === 2) return invert(m) ?? identity();
  return m;
}

/**
 * camera_from_rdf: maps a vector given as (right, down, forward) amounts into the coordinates of a space whose
 * axes are `xyz` (ViewCoordinates: Up=1, Down=2, Right=3, Left=4, Forward=5, Back=6).
 */
export function cameraFromRdf(xyz: readonly [number, number, number] = RDF_XYZ): Mat4 {
  const m = identity();
  // Semantic direction (0 = right, 1 = down, 2 = forward) → column of m.
  const wanted: [number, number][] = [
    [3, 4],
    [2, 1],
    [5, 6],
  ];
  wanted.forEach(([positive, negative], column) => {
    for (let r = 0; r < 3; r++) m[4 * column + r] = 0;
    const axis = xyz.findIndex((d) => d === positive || d === negative);
    if (axis >= 0) m[4 * column + axis] = xyz[axis] === positive ? 1 : -1;
  });
  return m;
}

/**
 * Rerun's `pinhole3d_from_image_plane`: image pixel (x, y, 0) → camera space at depth `distance`, so the image
 * exactly fills the frustum there: scale (d/fx, d/fy), z-scale their harmonic mean, translation (−cx·sx, −cy·sy,
 * d), then rotated from RDF into the pinhole's `cameraXyz`.
 */
export function pinhole3dFromImagePlane(
  imageFromCamera: readonly number[],
  distance: number,
  cameraXyz?: readonly [number, number, number],
): Mat4 {
  const fx = imageFromCamera[0]!;
  const fy = imageFromCamera[4]!;
  const cx = imageFromCamera[6]!;
  const cy = imageFromCamera[7]!;
  const sx = distance / fx;
  const sy = distance / fy;
  const sz = 2 / (1 / sx + 1 / sy);
  const rdf = new Float64Array([sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, -cx * sx, -cy * sy, distance, 1]);
  return multiply(cameraFromRdf(cameraXyz), rdf);
}

/** Back-projects pixel centre (u + ½, v + ½) at metric depth z into the pinhole's camera space (its `cameraXyz`). */
export function backProject(
  imageFromCamera: readonly number[],
  u: number,
  v: number,
  z: number,
  cameraXyz?: readonly [number, number, number],
): [number, number, number] {
  const fx = imageFromCamera[0]!;
  const fy = imageFromCamera[4]!;
  const cx = imageFromCamera[6]!;
  const cy = imageFromCamera[7]!;
  const rdf: Vec3 = [((u + 0.5 - cx) / fx) * z, ((v + 0.5 - cy) / fy) * z, z];
  const m = cameraFromRdf(cameraXyz);
  return [
    m[0]! * rdf[0] + m[4]! * rdf[1] + m[8]! * rdf[2],
    m[1]! * rdf[0] + m[5]! * rdf[1] + m[9]! * rdf[2],
    m[2]! * rdf[0] + m[6]! * rdf[1] + m[10]! * rdf[2],
  ];
}

/** "/a/b/c" → ["/a", "/a/b", "/a/b/c"] (Rerun's escaping rules: `/a\/b` is one part). */
export function pathPrefixes(entityPath: string): string[] {
  return entityPathPrefixes(entityPath);
}

/**
 * Resolves `entityPaths` (and their ancestors) against `source`. `defaultPlaneDistance` is used for pinholes
 * without an `image_plane_distance`. 3D transforms below a pinhole are ignored (2D transforms are not modelled).
 */
export function resolveTransforms(
  source: TransformSource,
  entityPaths: Iterable<string>,
  defaultPlaneDistance: number,
): Map<string, ResolvedEntity> {
  const out = new Map<string, ResolvedEntity>();
  const root: ResolvedEntity = { worldFromEntity: identity(), pinhole: undefined };
  const resolve = (path: string): ResolvedEntity => {
    const known = out.get(path);
    if (known) return known;
    const prefixes = pathPrefixes(path);
    const parent = prefixes.length > 1 ? resolve(prefixes[prefixes.length - 2]!) : root;
    let result: ResolvedEntity;
    if (parent.pinhole) {
      result = parent;
    } else {
      const t = source.transform3d(path);
      const worldFromEntity = t
        ? multiply(parent.worldFromEntity, transform3dMatrix(t))
        : parent.worldFromEntity;
      const p = source.pinhole(path);
      if (p) {
        const distance = p.imagePlaneDistance ?? defaultPlaneDistance;
        const worldFromImage = multiply(
          worldFromEntity,
          pinhole3dFromImagePlane(p.imageFromCamera, distance, p.cameraXyz),
        );
        result = {
          worldFromEntity: worldFromImage,
          pinhole: { ...p, entityPath: path, worldFromCamera: worldFromEntity, worldFromImage, distance },
        };
      } else {
        result = { worldFromEntity, pinhole: undefined };
      }
    }
    out.set(path, result);
    return result;
  };
  for (const path of entityPaths) resolve(path);
  return out;
}

// ---- store-backed source ----------------------------------------------------------------------------------

function value<T>(row: QueryRow | undefined, component: string, type: ComponentType<T>): T | undefined {
  return row?.chunk.componentValues(component, row.row, type)?.[0];
}

/** Newer first: static rows, then by time, then by RowId. */
function newer(a: QueryRow, b: QueryRow): boolean {
  if (a.isStatic !== b.isStatic) return a.isStatic;
  if (a.time !== null && b.time !== null && a.time !== b.time) return a.time > b.time;
  return a.rowId.compare(b.rowId) > 0;
}

const TRANSFORM_COMPONENTS = [
  "Transform3D:translation",
  "Transform3D:quaternion",
  "Transform3D:rotation_axis_angle",
  "Transform3D:scale",
  "Transform3D:mat3x3",
  "Transform3D:relation",
] as const;

/** Reads Transform3D and Pinhole latest-at `at`; a Transform3D row is taken as a whole (unset components reset). */
export function storeTransformSource(store: ChunkStore, at: QueryTime): TransformSource {
  return {
    transform3d(entityPath) {
      const rows = TRANSFORM_COMPONENTS.map((c) => [c, latestRow(store, entityPath, c, at)] as const).filter(
        (r): r is readonly [(typeof TRANSFORM_COMPONENTS)[number], QueryRow] => r[1] !== undefined,
      );
      if (rows.length === 0) return undefined;
      let winner = rows[0]![1];
      for (const [, r] of rows) if (newer(r, winner)) winner = r;
      const same = (r: QueryRow): boolean => r.chunk === winner.chunk && r.row === winner.row;
      const get = <T>(c: (typeof TRANSFORM_COMPONENTS)[number], type: ComponentType<T>): T | undefined => {
        const hit = rows.find(([name, r]) => name === c && same(r));
        return hit ? value(hit[1], c, type) : undefined;
      };
      const t: Transform3DValue = {};
      const tr = get("Transform3D:translation", Translation3DType);
      if (tr) t.translation = [tr[0]!, tr[1]!, tr[2]!];
      const q = get("Transform3D:quaternion", RotationQuatType);
      if (q) t.quaternion = [q[0]!, q[1]!, q[2]!, q[3]!];
      const aa = get("Transform3D:rotation_axis_angle", RotationAxisAngleType);
      if (aa) t.axisAngle = { axis: aa.axis, angle: aa.angle };
      const s = get("Transform3D:scale", Scale3DType);
      if (s) t.scale = [s[0]!, s[1]!, s[2]!];
      const m = get("Transform3D:mat3x3", TransformMat3x3Type);
      if (m) t.mat3x3 = m;
      const rel = get("Transform3D:relation", TransformRelationType);
      if (rel !== undefined) t.relation = rel;
      return t;
    },
    pinhole(entityPath) {
      const row = latestRow(store, entityPath, "Pinhole:image_from_camera", at);
      const imageFromCamera = value(row, "Pinhole:image_from_camera", PinholeProjectionType);
      if (!imageFromCamera) return undefined;
      const p: PinholeValue = { imageFromCamera };
      const one = <T>(c: string, type: ComponentType<T>): T | undefined =>
        value(latestRow(store, entityPath, c, at), c, type);
      const res = one("Pinhole:resolution", ResolutionType);
      const xyz = one("Pinhole:camera_xyz", ViewCoordinatesType);
      const distance = one("Pinhole:image_plane_distance", ImagePlaneDistanceType);
      const color = one("Pinhole:color", ColorType);
      return {
        ...p,
        ...(res ? { resolution: [res[0]!, res[1]!] as const } : {}),
        ...(xyz ? { cameraXyz: [xyz[0]!, xyz[1]!, xyz[2]!] as const } : {}),
        ...(distance !== undefined && distance > 0 ? { imagePlaneDistance: distance } : {}),
        ...(color !== undefined ? { color } : {}),
      };
    },
  };
}

/** Whether the store holds any Pinhole or Transform3D data (then the viewer adds a 3D view). */
export function hasSpatial3dData(store: ChunkStore): boolean {
  return store
    .entityPaths()
    .some((p) =>
      store
        .componentsOf(p)
        .some(
          (c) =>
            c.descriptor.component.startsWith("Pinhole:") ||
            c.descriptor.component.startsWith("Transform3D:"),
        ),
    );
}
