import type { PrimitiveBatch } from "@iris/renderer";
import { type Vec3, transformPoint } from "./mat4.ts";
import type { ResolvedEntity, ResolvedPinhole, TransformSource } from "./transform-tree.ts";

const AXIS_COLORS: readonly (readonly [number, number, number, number])[] = [
  [230, 60, 60, 255],
  [60, 200, 60, 255],
  [70, 110, 240, 255],
];

/** The line content of the 3D view: world axes, transform axes and camera frusta. */
export interface SceneLines {
  readonly batch: PrimitiveBatch;
  /** Entities with a Transform3D (outside any pinhole) whose axes are drawn. */
  readonly axesEntities: string[];
  /** Each pinhole's frustum in world space: camera origin, then the four image-plane corners. */
  readonly frusta: { entityPath: string; world: Vec3[] }[];
}

/**
 * World axes at the origin, small axes at every entity with its own Transform3D (Rerun's transform axes, 3D
 * content only), and a frustum per pinhole in its colour.
 */
export function sceneLines(options: {
  paths: readonly string[];
  resolved: ReadonlyMap<string, ResolvedEntity>;
  source: TransformSource;
  pinholes: Iterable<ResolvedPinhole>;
  axisLength: number;
}): SceneLines {
  const { paths, resolved, source, axisLength } = options;
  const lineData = new LineBuilder();
  AXIS_COLORS.forEach((color, axis) => {
    const end: [number, number, number] = [0, 0, 0];
    end[axis] = axisLength;
    lineData.segment([0, 0, 0], end, color);
  });
  const axesEntities: string[] = [];
  for (const path of paths) {
    const r = resolved.get(path);
    if (!r || r.pinhole || !source.transform3d(path)) continue;
    axesEntities.push(path);
    const o = transformPoint(r.worldFromEntity, [0, 0, 0]);
    AXIS_COLORS.forEach((color, axis) => {
      const end: [number, number, number] = [0, 0, 0];
      end[axis] = axisLength * 0.5;
      lineData.segment(o, transformPoint(r.worldFromEntity, end), color);
    });
  }
  const frusta: { entityPath: string; world: Vec3[] }[] = [];
  for (const p of options.pinholes) {
    const world = frustumWorld(p);
    const color = unpackColor(p.color ?? 0xd0d0d0ff);
    const [origin, ...corners] = world as [Vec3, Vec3, Vec3, Vec3, Vec3];
    corners.forEach((c, i) => {
      lineData.segment(origin, c, color);
      lineData.segment(c, corners[(i + 1) % 4]!, color);
    });
    frusta.push({ entityPath: p.entityPath, world });
  }
  return { batch: lineData.batch(), axesEntities, frusta };
}

/** Camera origin and the four image-plane corners of a pinhole, in world space. */
export function frustumWorld(p: ResolvedPinhole): Vec3[] {
  const [w, h] = p.resolution ?? [2 * p.imageFromCamera[6]!, 2 * p.imageFromCamera[7]!];
  return [
    transformPoint(p.worldFromCamera, [0, 0, 0]),
    transformPoint(p.worldFromImage, [0, 0, 0]),
    transformPoint(p.worldFromImage, [w, 0, 0]),
    transformPoint(p.worldFromImage, [w, h, 0]),
    transformPoint(p.worldFromImage, [0, h, 0]),
  ];
}

function unpackColor(c: number): [number, number, number, number] {
  return [(c >>> 24) & 255, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
}

class LineBuilder {
  private readonly positions: number[] = [];
  private readonly colors: number[] = [];
  segment(a: Vec3, b: Vec3, color: readonly number[]): void {
    this.positions.push(...a, ...b);
    this.colors.push(...color, ...color);
  }
  batch(): PrimitiveBatch {
    return { positions: Float32Array.from(this.positions), colors: Uint8Array.from(this.colors) };
  }
}
