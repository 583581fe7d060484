import { describe, expect, it } from "vitest";
import { invert, multiply, transformPoint } from "./mat4.ts";
import {
  type PinholeValue,
  type Transform3DValue,
  backProject,
  cameraFromRdf,
  pinhole3dFromImagePlane,
  resolveTransforms,
  transform3dMatrix,
} from "./transform-tree.ts";

function close(a: readonly number[], b: readonly number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 9));
}

function source(t: Record<string, Transform3DValue>, p: Record<string, PinholeValue> = {}) {
  return { transform3d: (e: string) => t[e], pinhole: (e: string) => p[e] };
}

describe("transform3dMatrix", () => {
  it("applies mat3x3, then scale, then rotation, then translation", () => {
    // 90° about +Z maps (1,0,0) → (0,1,0); scale 2 first gives (2,0,0) → (0,2,0); then +(10,20,30).
    const m = transform3dMatrix({
      translation: [10, 20, 30],
      axisAngle: { axis: [0, 0, 5], angle: Math.PI / 2 },
      scale: [2, 3, 4],
    });
    close(transformPoint(m, [1, 0, 0]), [10, 22, 30]);
    close(transformPoint(m, [0, 1, 0]), [7, 20, 30]);
    close(transformPoint(m, [0, 0, 1]), [10, 20, 34]);
  });

  it("reads quaternions as x, y, z, w and normalises them", () => {
    // 180° about X: (0,1,0) → (0,−1,0), (0,0,1) → (0,0,−1).
    const m = transform3dMatrix({ quaternion: [2, 0, 0, 0] });
    close(transformPoint(m, [0, 1, 0]), [0, -1, 0]);
    close(transformPoint(m, [0, 0, 1]), [0, 0, -1]);
  });

  it("uses column-major mat3x3 and inverts ChildFromParent", () => {
    // Columns (0,1,0), (−1,0,0), (0,0,1): +90° about Z.
    const m = transform3dMatrix({ mat3x3: [0, 1, 0, -1, 0, 0, 0, 0, 1], translation: [1, 0, 0] });
    close(transformPoint(m, [1, 0, 0]), [1, 1, 0]);
    const inv = transform3dMatrix({
      mat3x3: [0, 1, 0, -1, 0, 0, 0, 0, 1],
      translation: [1, 0, 0],
      relation: 2,
    });
    close(transformPoint(inv, [1, 1, 0]), [1, 0, 0]);
    close(Array.from(multiply(m, inv)), Array.from(invert(multiply(inv, m))!));
  });
});

describe("pinhole image plane", () => {
  const K = [100, 0, 0, 0, 50, 0, 32, 24, 1]; // fx 100, fy 50, cx 32, cy 24 (column-major)

  it("places the image so it fills the frustum at the plane distance (RDF)", () => {
    const m = pinhole3dFromImagePlane(K, 2);
    // Principal point → on the optical axis; pixel (132, 74) → one focal length off → (2, 2, 2)·(1/100·100…)
    close(transformPoint(m, [32, 24, 0]), [0, 0, 2]);
    close(transformPoint(m, [132, 74, 0]), [2, 2, 2]);
    close(transformPoint(m, [0, 0, 0]), [-0.64, -0.96, 2]);
  });

  it("rotates into other camera axes (RUB: x right, y up, z back)", () => {
    close(Array.from(cameraFromRdf([3, 1, 6])).slice(0, 12), [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0]);
    const m = pinhole3dFromImagePlane(K, 2, [3, 1, 6]);
    close(transformPoint(m, [132, 74, 0]), [2, -2, -2]);
  });

  it("back-projects pixel centres with metric depth", () => {
    close(backProject(K, 31.5, 23.5, 3), [0, 0, 3]);
    close(backProject(K, 131.5, 23.5, 3), [3, 0, 3]);
    close(backProject(K, 131.5, 23.5, 3, [3, 1, 6]), [3, 0, -3]);
  });
});

describe("resolveTransforms", () => {
  it("composes transforms root first and turns content under a pinhole into image-plane content", () => {
    const resolved = resolveTransforms(
      source(
        {
          "/world": { translation: [1, 0, 0] },
          "/world/cam": { translation: [0, 0, 5], scale: [2, 2, 2] },
          "/world/cam/img": { translation: [100, 100, 100] }, // ignored: below the pinhole
        },
        { "/world/cam": { imageFromCamera: [10, 0, 0, 0, 10, 0, 5, 5, 1] } },
      ),
      ["/world/cam/img", "/other"],
      0.5,
    );
    const cam = resolved.get("/world/cam")!;
    expect(cam.pinhole?.entityPath).toBe("/world/cam");
    expect(cam.pinhole?.distance).toBe(0.5);
    close(transformPoint(cam.pinhole!.worldFromCamera, [0, 0, 0]), [1, 0, 5]);
    // Image pixel (5,5) is the principal point: distance 0.5 along +Z, scaled by 2 → (1, 0, 6).
    close(transformPoint(resolved.get("/world/cam/img")!.worldFromEntity, [5, 5, 0]), [1, 0, 6]);
    // Pixel (15, 5): one focal length right → x = 0.5·2 more.
    close(transformPoint(resolved.get("/world/cam/img")!.worldFromEntity, [15, 5, 0]), [2, 0, 6]);
    expect(resolved.get("/other")!.pinhole).toBeUndefined();
    close(transformPoint(resolved.get("/world")!.worldFromEntity, [0, 0, 0]), [1, 0, 0]);
  });

  it("uses the logged image plane distance", () => {
    const resolved = resolveTransforms(
      source({}, { "/cam": { imageFromCamera: [10, 0, 0, 0, 10, 0, 5, 5, 1], imagePlaneDistance: 3 } }),
      ["/cam"],
      0.5,
    );
    close(transformPoint(resolved.get("/cam")!.worldFromEntity, [5, 5, 0]), [0, 0, 3]);
  });
});
