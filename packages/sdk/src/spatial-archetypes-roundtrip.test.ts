// Pinhole, Transform3D, AnnotationContext, DepthImage and SegmentationImage rows through a Chunk and Arrow IPC
// (chunkToIpc → chunkFromIpc): the decoded columns keep the exact Arrow types and values (rrd-format.md §5).
import { type DataType, type Field, Type } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ChunkBuilder, chunkFromIpc, chunkToIpc } from "@iris/chunk";
import {
  AnnotationContext,
  type AsComponents,
  DepthImage,
  Pinhole,
  SegmentationImage,
  Transform3D,
  defaultTuidGenerator,
} from "@iris/types";

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

function roundTrip(entity: string, archetype: AsComponents) {
  const builder = new ChunkBuilder(entity);
  builder.addRow(defaultTuidGenerator.next(), new Map(), archetype.asComponentBatches());
  const chunk = chunkFromIpc(chunkToIpc(builder.build()));
  return { chunk, batches: new Map(archetype.asComponentBatches().map((b) => [b.descriptor.component, b])) };
}

function expectColumns(archetype: AsComponents, expected: Record<string, string>): void {
  const { chunk, batches } = roundTrip("/world/camera", archetype);
  expect([...chunk.components.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [component, inner] of Object.entries(expected)) {
    const column = chunk.components.get(component)!;
    const b = batches.get(component)!;
    expect(column.descriptor).toEqual(b.descriptor);
    expect(sig(column.list.type), component).toBe(`List<item?: ${inner}>`);
    expect(chunk.componentValues(component, 0, b.type), component).toEqual(b.values);
  }
}

const F32 = "item: Float32";
const FORMAT =
  "Struct{width: Uint32, height: Uint32, pixel_format?: Uint8, color_model?: Uint8, channel_datatype?: Uint8}";
const INFO = "Struct{id: Uint16, label?: Utf8, color?: Uint32}";

describe("spatial archetypes through chunkToIpc / chunkFromIpc", () => {
  it("Pinhole", () => {
    expectColumns(
      Pinhole.fromFocalLength({
        focalLength: [200, 210],
        width: 300,
        height: 200,
        cameraXyz: "RDF",
        imagePlaneDistance: 1.5,
        color: [10, 20, 30, 40],
        lineWidth: 2,
      }),
      {
        "Pinhole:image_from_camera": `FSL9<${F32}>`,
        "Pinhole:resolution": `FSL2<${F32}>`,
        "Pinhole:camera_xyz": "FSL3<item: Uint8>",
        "Pinhole:image_plane_distance": "Float32",
        "Pinhole:color": "Uint32",
        "Pinhole:line_width": "Float32",
      },
    );
  });

  it("Transform3D", () => {
    expectColumns(
      new Transform3D({
        translation: [1, 2, 3],
        rotation: { axis: [0, 0, 1], angle: 0.75 },
        scale: [1, 2, 4],
        mat3x3: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        relation: "ParentFromChild",
        childFrame: "cam",
        parentFrame: "world",
      }),
      {
        "Transform3D:translation": `FSL3<${F32}>`,
        "Transform3D:rotation_axis_angle": `Struct{axis: FSL3<${F32}>, angle: Float32}`,
        "Transform3D:scale": `FSL3<${F32}>`,
        "Transform3D:mat3x3": `FSL9<${F32}>`,
        "Transform3D:relation": "Uint8",
        "Transform3D:child_frame": "Utf8",
        "Transform3D:parent_frame": "Utf8",
      },
    );
    expectColumns(new Transform3D({ rotation: [0, 0, 0.5, 0.5] }), {
      "Transform3D:quaternion": `FSL4<${F32}>`,
    });
  });

  it("AnnotationContext", () => {
    expectColumns(
      new AnnotationContext([
        [1, "red", [255, 0, 0]],
        { id: 2, label: "green", color: [0, 255, 0] },
        { id: 9, keypointAnnotations: [{ id: 0, label: "nose" }], keypointConnections: [[0, 0]] },
      ]),
      {
        "AnnotationContext:context":
          `List<item: Struct{class_id: Uint16, class_description: Struct{info: ${INFO}, ` +
          `keypoint_annotations: List<item: ${INFO}>, ` +
          "keypoint_connections: List<item: Struct{keypoint0: Uint16, keypoint1: Uint16}>}}>",
      },
    );
  });

  it("DepthImage and SegmentationImage", () => {
    expectColumns(
      new DepthImage(new Float32Array([0.5, 1, 1.5, 2]), {
        width: 2,
        height: 2,
        meter: 1,
        colormap: "Turbo",
        depthRange: [0, 2],
        pointFillRatio: 1,
        drawOrder: 0,
        magnificationFilter: "nearest",
      }),
      {
        "DepthImage:buffer": "List<item: Uint8>",
        "DepthImage:format": FORMAT,
        "DepthImage:meter": "Float32",
        "DepthImage:colormap": "Uint8",
        "DepthImage:depth_range": "FSL2<item: Float64>",
        "DepthImage:point_fill_ratio": "Float32",
        "DepthImage:draw_order": "Float32",
        "DepthImage:magnification_filter": "Uint8",
      },
    );
    expectColumns(
      new SegmentationImage(new Uint16Array([0, 1, 2, 3]), { width: 2, height: 2, opacity: 0.5 }),
      {
        "SegmentationImage:buffer": "List<item: Uint8>",
        "SegmentationImage:format": FORMAT,
        "SegmentationImage:opacity": "Float32",
      },
    );
  });
});
