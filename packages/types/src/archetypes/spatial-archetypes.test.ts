import { type DataType, type Field, Type } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { ComponentBatch } from "../component-batch.ts";
import { ImageFormatError, type ImageFormatErrorKind } from "../image/index.ts";
import { AnnotationContext } from "./annotation-context.ts";
import { ArchetypeError, type ArchetypeErrorKind, packColor } from "./archetype-values.ts";
import { Colormap, DepthImage } from "./depth-image.ts";
import { Pinhole, parseViewCoordinates } from "./pinhole.ts";
import { SegmentationImage } from "./segmentation-image.ts";
import { Transform3D } from "./transform3d.ts";

/** Structural description of an Arrow type: child field names, nullability ("?" = nullable) and metadata. */
function sig(t: DataType): string {
  const field = (f: Field): string =>
    `${f.name}${f.nullable ? "?" : ""}${f.metadata.size > 0 ? "{meta}" : ""}: ${sig(f.type)}`;
  switch (t.typeId) {
    case Type.List:
      return `List<${field(t.children[0]!)}>`;
    case Type.FixedSizeList:
      return `FSL${(t as unknown as { listSize: number }).listSize}<${field(t.children[0]!)}>`;
    case Type.Struct:
      return `Struct{${t.children.map(field).join(", ")}}`;
    default:
      return String(t);
  }
}

function byComponent(batches: readonly ComponentBatch[]): Map<string, ComponentBatch> {
  return new Map(batches.map((b) => [b.descriptor.component, b]));
}

/** Expected [componentType, inner Arrow type] per component, written out from rrd-format.md §5.2/§5.3. */
function expectTypes(
  archetype: string,
  batches: readonly ComponentBatch[],
  expected: Record<string, [string, string]>,
): void {
  const got = byComponent(batches);
  expect([...got.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [component, [componentType, arrow]] of Object.entries(expected)) {
    const b = got.get(component)!;
    expect(b.descriptor).toEqual({
      component,
      archetype: `rerun.archetypes.${archetype}`,
      componentType: `rerun.components.${componentType}`,
    });
    expect(b.type.name).toBe(`rerun.components.${componentType}`);
    expect(sig(b.type.arrowType), component).toBe(arrow);
    const data = b.type.toArrow(b.values);
    expect(sig(data.type), `${component} data`).toBe(arrow);
    expect(data.length).toBe(b.values.length);
  }
}

function thrown<E extends Error>(fn: () => unknown, cls: new (...a: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return e as E;
  }
  throw new Error("expected an error");
}
const archetypeError = (fn: () => unknown, kind: ArchetypeErrorKind): ArchetypeError => {
  const e = thrown(fn, ArchetypeError);
  expect(e.kind, e.message).toBe(kind);
  return e;
};
const formatError = (fn: () => unknown, kind: ImageFormatErrorKind): ImageFormatError => {
  const e = thrown(fn, ImageFormatError);
  expect(e.kind, e.message).toBe(kind);
  return e;
};

const F32 = "item: Float32";
const IMAGE_FORMAT =
  "Struct{width: Uint32, height: Uint32, pixel_format?: Uint8, color_model?: Uint8, channel_datatype?: Uint8}";
const BLOB = "List<item: Uint8>";
const ANNOTATION_INFO = "Struct{id: Uint16, label?: Utf8, color?: Uint32}";

describe("Pinhole", () => {
  it("writes Rerun's descriptors and exact Arrow types", () => {
    const p = new Pinhole({
      imageFromCamera: [3, 0, 0, 0, 3, 0, 1.5, 1.5, 1],
      resolution: [3, 3],
      cameraXyz: "RUB",
      imagePlaneDistance: 2,
      color: [255, 0, 0],
      lineWidth: 0.5,
      childFrame: "cam",
      parentFrame: "world",
    });
    expectTypes("Pinhole", p.asComponentBatches(), {
      "Pinhole:image_from_camera": ["PinholeProjection", `FSL9<${F32}>`],
      "Pinhole:resolution": ["Resolution", `FSL2<${F32}>`],
      "Pinhole:camera_xyz": ["ViewCoordinates", "FSL3<item: Uint8>"],
      "Pinhole:image_plane_distance": ["ImagePlaneDistance", "Float32"],
      "Pinhole:color": ["Color", "Uint32"],
      "Pinhole:line_width": ["Radius", "Float32"],
      "Pinhole:child_frame": ["TransformFrameId", "Utf8"],
      "Pinhole:parent_frame": ["TransformFrameId", "Utf8"],
    });
    const b = byComponent(p.asComponentBatches());
    expect(b.get("Pinhole:camera_xyz")!.values).toEqual([[3, 1, 6]]);
    expect(b.get("Pinhole:color")!.values).toEqual([0xff0000ff]);
    expect(b.get("Pinhole:color")!.values).toEqual([4278190335]);
  });

  it("logs only the projection and resolution by default; camera axes default to RDF", () => {
    const p = Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3 });
    expect(p.asComponentBatches().map((b) => b.descriptor.component)).toEqual([
      "Pinhole:image_from_camera",
      "Pinhole:resolution",
    ]);
    expect(p.cameraXyz).toBeUndefined();
    expect(p.effectiveCameraXyz).toEqual([3, 2, 5]);
    expect(parseViewCoordinates("x", "rdf")).toEqual([3, 2, 5]);
  });

  it("fromFocalLength: column-major [fx,0,0, 0,fy,0, cx,cy,1], principal point at the centre", () => {
    const p = Pinhole.fromFocalLength({ focalLength: 200, width: 300, height: 200 });
    expect(p.imageFromCamera).toEqual([200, 0, 0, 0, 200, 0, 150, 100, 1]);
    expect(p.resolution).toEqual([300, 200]);
    const q = Pinhole.fromFocalLength({
      focalLength: [500, 400],
      principalPoint: [310, 250],
      width: 640,
      height: 480,
    });
    expect(q.imageFromCamera).toEqual([500, 0, 0, 0, 400, 0, 310, 250, 1]);
    expect(q.focalLength).toEqual([500, 400]);
    expect(q.principalPoint).toEqual([310, 250]);
  });

  it("imageFromCameraRows is the row-major spelling of the same matrix", () => {
    const rows = new Pinhole({
      imageFromCameraRows: [
        [3, 0, 1.5],
        [0, 4, 2.5],
        [0, 0, 1],
      ],
    });
    expect(rows.imageFromCamera).toEqual([3, 0, 0, 0, 4, 0, 1.5, 2.5, 1]);
  });

  it("fromFieldsOfView: height-1 image space, f = 0.5 / tan(fovY / 2)", () => {
    // fovY = 90°: tan(45°) = 1 → f = 0.5; aspect 16/9 → resolution [1.777…, 1], principal point [0.888…, 0.5].
    const p = Pinhole.fromFieldsOfView({ fovY: Math.PI / 2, aspectRatio: 16 / 9 });
    expect(p.resolution![0]).toBeCloseTo(1.7777778, 6);
    expect(p.resolution![1]).toBe(1);
    const m = p.imageFromCamera;
    expect(m[0]).toBeCloseTo(0.5, 12);
    expect(m[4]).toBeCloseTo(0.5, 12);
    expect(m[6]).toBeCloseTo(0.8888889, 6);
    expect(m[7]).toBe(0.5);
    expect([m[1], m[2], m[3], m[5], m[8]]).toEqual([0, 0, 0, 0, 1]);
    // fovY = 60°: tan(30°) = 1/√3 → f = √3 / 2 = 0.8660254.
    expect(Pinhole.fromFieldsOfView({ fovY: Math.PI / 3, aspectRatio: 1 }).focalLength[0]).toBeCloseTo(
      0.8660254,
      6,
    );
  });

  it("rejects bad input with typed errors naming expected and actual", () => {
    expect(archetypeError(() => new Pinhole({}), "missing-value").expected).toBe("imageFromCamera");
    const len = archetypeError(() => new Pinhole({ imageFromCamera: [1, 2, 3] }), "wrong-length");
    expect([len.expected, len.actual]).toEqual([9, 3]);
    archetypeError(() => new Pinhole({ imageFromCamera: [1, 0, 0, 0, 1, 0, 0, 0, NaN] }), "invalid-value");
    archetypeError(
      () => new Pinhole({ imageFromCamera: [1, 0, 0, 0, 1, 0, 0, 0, 1], imageFromCameraRows: [] }),
      "conflicting-options",
    );
    archetypeError(() => new Pinhole({ imageFromCameraRows: [[1, 0, 0]] }), "wrong-length");
    archetypeError(() => Pinhole.fromFocalLength({ focalLength: 0, width: 3, height: 3 }), "invalid-value");
    archetypeError(() => Pinhole.fromFocalLength({ focalLength: 3, width: -1, height: 3 }), "invalid-value");
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: [3] as never, width: 3, height: 3 }),
      "wrong-length",
    );
    const fov = archetypeError(() => Pinhole.fromFieldsOfView({ fovY: 4, aspectRatio: 1 }), "invalid-value");
    expect(fov.actual).toBe(4);
    archetypeError(() => Pinhole.fromFieldsOfView({ fovY: 1, aspectRatio: 0 }), "invalid-value");
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3, cameraXyz: "RDX" }),
      "invalid-value",
    );
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3, cameraXyz: "RLF" }),
      "invalid-value",
    );
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3, cameraXyz: [3, 2, 7] }),
      "unknown-enum",
    );
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3, color: [256, 0, 0] }),
      "invalid-value",
    );
    archetypeError(
      () => Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3, childFrame: "" }),
      "invalid-value",
    );
    archetypeError(
      () => Pinhole.columns({ imageFromCamera: [[1, 0, 0, 0, 1, 0, 0, 0, 1]], resolution: [] }),
      "wrong-length",
    );
  });

  it("columns: one projection and resolution per row", () => {
    const cols = Pinhole.columns({
      imageFromCamera: [
        [1, 0, 0, 0, 1, 0, 0, 0, 1],
        [2, 0, 0, 0, 2, 0, 1, 1, 1],
      ],
      resolution: [
        [2, 2],
        [2, 2],
      ],
    });
    expect(cols.map((c) => [c.descriptor.component, c.rows.length])).toEqual([
      ["Pinhole:image_from_camera", 2],
      ["Pinhole:resolution", 2],
    ]);
  });
});

describe("Transform3D", () => {
  it("writes Rerun's descriptors and exact Arrow types", () => {
    const t = new Transform3D({
      translation: [1, 2, 3],
      rotation: { axis: [0, 0, 1], angle: Math.PI / 4 },
      scale: 2,
      mat3x3: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      relation: "ChildFromParent",
      childFrame: "a",
      parentFrame: "b",
    });
    expectTypes("Transform3D", t.asComponentBatches(), {
      "Transform3D:translation": ["Translation3D", `FSL3<${F32}>`],
      "Transform3D:rotation_axis_angle": ["RotationAxisAngle", `Struct{axis: FSL3<${F32}>, angle: Float32}`],
      "Transform3D:scale": ["Scale3D", `FSL3<${F32}>`],
      "Transform3D:mat3x3": ["TransformMat3x3", `FSL9<${F32}>`],
      "Transform3D:relation": ["TransformRelation", "Uint8"],
      "Transform3D:child_frame": ["TransformFrameId", "Utf8"],
      "Transform3D:parent_frame": ["TransformFrameId", "Utf8"],
    });
    const b = byComponent(t.asComponentBatches());
    expect(b.get("Transform3D:scale")!.values).toEqual([[2, 2, 2]]);
    expect(b.get("Transform3D:relation")!.values).toEqual([2]);
    const q = new Transform3D({ rotation: [0, 0, 0.7071068, 0.7071068] });
    expectTypes("Transform3D", q.asComponentBatches(), {
      "Transform3D:quaternion": ["RotationQuat", `FSL4<${F32}>`],
    });
  });

  it("mat3x3 is column-major; mat3x3Rows converts from rows", () => {
    // Rows [[1,2,3],[4,5,6],[7,8,9]] → columns (1,4,7), (2,5,8), (3,6,9).
    const t = new Transform3D({
      mat3x3Rows: [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    });
    expect(t.mat3x3).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(new Transform3D({ mat3x3: [1, 4, 7, 2, 5, 8, 3, 6, 9] }).mat3x3).toEqual(t.mat3x3);
  });

  it("reads the axis-angle struct back, also from sliced data", () => {
    const t = new Transform3D({ rotation: { axis: [0, 0, 1], angle: 0.5 } });
    const b = byComponent(t.asComponentBatches()).get("Transform3D:rotation_axis_angle")!;
    const values = [
      { axis: [1, 0, 0], angle: 1 },
      { axis: [0, 1, 0], angle: 2 },
      { axis: [0, 0, 1], angle: 0.5 },
    ] as never[];
    const data = b.type.toArrow(values).slice(1, 2);
    expect(b.type.fromArrow(data, 0)).toEqual({ axis: [0, 1, 0], angle: 2 });
    expect(b.type.fromArrow(data, 1)).toEqual({ axis: [0, 0, 1], angle: 0.5 });
  });

  it("rejects bad input with typed errors", () => {
    archetypeError(() => new Transform3D({ translation: [1, 2] as never }), "wrong-length");
    archetypeError(() => new Transform3D({ translation: [1, 2, Infinity] }), "invalid-value");
    archetypeError(() => new Transform3D({ rotation: [0, 0, 0, 0] }), "invalid-value");
    archetypeError(() => new Transform3D({ rotation: [0, 0, 1] as never }), "wrong-length");
    archetypeError(() => new Transform3D({ rotation: { axis: [0, 0, 0], angle: 1 } }), "invalid-value");
    archetypeError(() => new Transform3D({ rotation: { axis: [0, 0, 1], angle: NaN } }), "invalid-value");
    archetypeError(() => new Transform3D({ rotation: "x" as never }), "invalid-value");
    archetypeError(() => new Transform3D({ scale: NaN }), "invalid-value");
    archetypeError(() => new Transform3D({ scale: [1, 2] as never }), "wrong-length");
    archetypeError(() => new Transform3D({ mat3x3: [1, 2, 3] }), "wrong-length");
    archetypeError(
      () => new Transform3D({ mat3x3: [1, 0, 0, 0, 1, 0, 0, 0, 1], mat3x3Rows: [] }),
      "conflicting-options",
    );
    const rel = archetypeError(() => new Transform3D({ relation: "Sideways" as never }), "unknown-enum");
    expect(rel.expected).toBe("ParentFromChild=1, ChildFromParent=2");
    archetypeError(() => new Transform3D({ relation: 3 as never }), "unknown-enum");
  });
});

describe("AnnotationContext", () => {
  it("writes the exact nested type: List<List<ClassDescriptionMapElem>>, empty keypoint lists", () => {
    const ctx = new AnnotationContext([
      [1, "red", [255, 0, 0]],
      { id: 2, label: "green", color: 0x00ff00ff },
      { id: 3 },
    ]);
    expectTypes("AnnotationContext", ctx.asComponentBatches(), {
      "AnnotationContext:context": [
        "AnnotationContext",
        "List<item: Struct{class_id: Uint16, class_description: Struct{info: " +
          ANNOTATION_INFO +
          ", keypoint_annotations: List<item: " +
          ANNOTATION_INFO +
          ">, keypoint_connections: List<item: Struct{keypoint0: Uint16, keypoint1: Uint16}>}}>",
      ],
    });
    const b = ctx.asComponentBatches()[0]!;
    const data = b.type.toArrow(b.values);
    // One instance holding three classes.
    expect(data.length).toBe(1);
    const elems = data.children[0]!;
    expect(elems.length).toBe(3);
    const description = elems.children[1]!;
    const [info, annotations, connections] = description.children;
    expect(annotations!.nullCount).toBe(0);
    expect(connections!.nullCount).toBe(0);
    expect(Array.from(annotations!.valueOffsets)).toEqual([0, 0, 0, 0]);
    expect(Array.from(connections!.valueOffsets)).toEqual([0, 0, 0, 0]);
    // Class 3 has neither label nor colour: nulls there, not empty strings / 0.
    expect(info!.children[1]!.nullCount).toBe(1);
    expect(info!.children[2]!.nullCount).toBe(1);
    expect(b.type.fromArrow(data, 0)).toEqual([
      {
        classId: 1,
        classDescription: {
          info: { id: 1, label: "red", color: 0xff0000ff },
          keypointAnnotations: [],
          keypointConnections: [],
        },
      },
      {
        classId: 2,
        classDescription: {
          info: { id: 2, label: "green", color: 0x00ff00ff },
          keypointAnnotations: [],
          keypointConnections: [],
        },
      },
      { classId: 3, classDescription: { info: { id: 3 }, keypointAnnotations: [], keypointConnections: [] } },
    ]);
  });

  it("round-trips keypoints and connections", () => {
    const ctx = new AnnotationContext([
      {
        id: 7,
        label: "person",
        keypointAnnotations: [
          { id: 0, label: "head" },
          { id: 1, color: [0, 0, 255, 128] },
        ],
        keypointConnections: [[0, 1]],
      },
    ]);
    const b = ctx.asComponentBatches()[0]!;
    expect(b.type.fromArrow(b.type.toArrow(b.values), 0)).toEqual([
      {
        classId: 7,
        classDescription: {
          info: { id: 7, label: "person" },
          keypointAnnotations: [
            { id: 0, label: "head" },
            { id: 1, color: 0x0000ff80 },
          ],
          keypointConnections: [[0, 1]],
        },
      },
    ]);
  });

  it("packs colours as 0xRRGGBBAA", () => {
    expect(packColor("c", [255, 0, 0])).toBe(4278190335);
    expect(packColor("c", [0x12, 0x34, 0x56, 0x78])).toBe(0x12345678);
  });

  it("rejects bad input with typed errors", () => {
    archetypeError(
      () =>
        new AnnotationContext([
          [1, "a"],
          [1, "b"],
        ]),
      "duplicate-id",
    );
    archetypeError(() => new AnnotationContext([{ id: 70000 }]), "invalid-value");
    archetypeError(() => new AnnotationContext([{ id: 1.5 }]), "invalid-value");
    archetypeError(() => new AnnotationContext([{ id: 1, color: [1, 2] as never }]), "wrong-length");
    archetypeError(() => new AnnotationContext([{ id: 1, label: 5 as never }]), "invalid-value");
    archetypeError(
      () => new AnnotationContext([{ id: 1, keypointConnections: [[1] as never] }]),
      "wrong-length",
    );
    archetypeError(() => new AnnotationContext(5 as never), "invalid-value");
  });
});

describe("DepthImage", () => {
  it("writes buffer + format with color_model null and every optional component, exact types", () => {
    const depth = new DepthImage(new Uint16Array([0, 1, 2, 3, 4, 5]), {
      width: 3,
      height: 2,
      meter: 1000,
      colormap: "viridis",
      depthRange: [0, 10],
      pointFillRatio: 0.5,
      drawOrder: 3,
      magnificationFilter: "linear",
    });
    expectTypes("DepthImage", depth.asComponentBatches(), {
      "DepthImage:buffer": ["ImageBuffer", BLOB],
      "DepthImage:format": ["ImageFormat", IMAGE_FORMAT],
      "DepthImage:meter": ["DepthMeter", "Float32"],
      "DepthImage:colormap": ["Colormap", "Uint8"],
      "DepthImage:depth_range": ["ValueRange", "FSL2<item: Float64>"],
      "DepthImage:point_fill_ratio": ["FillRatio", "Float32"],
      "DepthImage:draw_order": ["DrawOrder", "Float32"],
      "DepthImage:magnification_filter": ["MagnificationFilter", "Uint8"],
    });
    expect(depth.format).toEqual({ width: 3, height: 2, channelDatatype: 8 });
    const format = byComponent(depth.asComponentBatches()).get("DepthImage:format")!;
    const data = format.type.toArrow(format.values);
    expect(data.children[3]!.nullCount).toBe(1); // color_model null
    expect(data.children[2]!.nullCount).toBe(1); // pixel_format null
    expect(Array.from(depth.buffer)).toEqual([0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0]);
    expect(depth.colormap).toBe(Colormap.Viridis);
    expect(new DepthImage(new Float32Array(4), { width: 2, height: 2 }).format.channelDatatype).toBe(34);
  });

  it("rejects bad input with typed errors", () => {
    const size = formatError(
      () => new DepthImage(new Uint16Array(5), { width: 3, height: 2 }),
      "size-mismatch",
    );
    expect([size.expected, size.actual]).toEqual([12, 10]);
    formatError(() => new DepthImage(new Uint16Array(6 * 3), { width: 3, height: 2 }), "size-mismatch");
    formatError(() => new DepthImage(new Uint16Array(6), { width: 0, height: 2 }), "invalid-dimension");
    formatError(
      () => new DepthImage(new Uint16Array(6), { width: 3, height: 2, meter: 0 }),
      "invalid-dimension",
    );
    formatError(
      () => new DepthImage(new Uint16Array(6), { width: 3, height: 2, colormap: "rainbow" }),
      "unknown-enum",
    );
    formatError(
      () => new DepthImage(new Uint16Array(6), { width: 3, height: 2, depthRange: [5, 1] }),
      "invalid-range",
    );
    formatError(
      () => new DepthImage(new Uint16Array(6), { width: 3, height: 2, datatype: "F32" }),
      "element-size",
    );
    formatError(() => new DepthImage(new ArrayBuffer(12), { width: 3, height: 2 }), "missing-format");
    formatError(
      () =>
        new DepthImage(new Uint16Array(6), { width: 3, height: 2, magnificationFilter: "fuzzy" as never }),
      "unknown-enum",
    );
  });
});

describe("SegmentationImage", () => {
  it("writes buffer + format (color_model null, integer datatype) + opacity/draw order, exact types", () => {
    const seg = new SegmentationImage(new Uint8Array([0, 1, 2, 2]), {
      width: 2,
      height: 2,
      opacity: 0.5,
      drawOrder: 1,
    });
    expectTypes("SegmentationImage", seg.asComponentBatches(), {
      "SegmentationImage:buffer": ["ImageBuffer", BLOB],
      "SegmentationImage:format": ["ImageFormat", IMAGE_FORMAT],
      "SegmentationImage:opacity": ["Opacity", "Float32"],
      "SegmentationImage:draw_order": ["DrawOrder", "Float32"],
    });
    expect(seg.format).toEqual({ width: 2, height: 2, channelDatatype: 6 });
    expect(new SegmentationImage(new Uint16Array(4), { width: 2, height: 2 }).format.channelDatatype).toBe(8);
  });

  it("rejects bad input with typed errors", () => {
    const dt = formatError(
      () => new SegmentationImage(new Float32Array(4), { width: 2, height: 2 }),
      "datatype-mismatch",
    );
    expect(dt.actual).toBe("F32");
    formatError(() => new SegmentationImage(new Uint8Array(3), { width: 2, height: 2 }), "size-mismatch");
    formatError(
      () => new SegmentationImage(new Uint8Array(4), { width: 2, height: 2, opacity: 2 }),
      "out-of-bounds",
    );
    formatError(
      () => new SegmentationImage(new Uint8Array(4), { width: 2, height: 2, drawOrder: NaN }),
      "invalid-dimension",
    );
  });
});
