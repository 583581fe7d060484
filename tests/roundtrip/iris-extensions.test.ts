// Iris extension images (Bayer, UYVY) through the SDK → .rrd → decoder → chunk path. What must hold for Rerun to
// degrade gracefully: the written Image:format is a plain L U8 / L U16 image whose buffer size matches, and the
// only extra column is Image:iris_pixel_layout (archetype rerun.archetypes.Image, component type
// iris.components.PixelLayout, Utf8), which Rerun ignores. The Iris decode is unchanged by the round trip.
import { describe, expect, it } from "vitest";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { decodeRrd } from "@iris/rrd";
import { BytesSink, RecordingStream } from "@iris/sdk";
import {
  Image,
  ImageBufferType,
  ImageFormatType,
  IrisPixelLayoutType,
  decodeImageToRgba8,
  decodeIrisLayoutToRgba8,
  parseIrisPixelLayout,
  validateImageBuffer,
} from "@iris/types";

function roundTrip(log: (rec: RecordingStream) => void): Chunk[] {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId: "iris_extensions", recordingId: "r", sink });
  log(rec);
  rec.close();
  const { messages, warnings } = decodeRrd(sink.toBytes());
  expect(warnings).toEqual([]);
  return messages.flatMap((m) => (m.kind === "arrowMsg" ? [chunkFromIpc(m.ipc)] : []));
}

const bayer8 = Uint8Array.from({ length: 6 * 4 }, (_, i) => (i * 53 + 7) % 256);
const bayer16 = Uint16Array.from({ length: 5 * 3 }, (_, i) => (i * 4099 + 300) % 65536);
const uyvy = Uint8Array.from({ length: 2 * 4 * 2 }, (_, i) => (i * 29 + 16) % 256);

describe("Iris extension images round-trip through .rrd and stay plain Rerun images", () => {
  const chunks = roundTrip((rec) => {
    rec.log("bayer8", Image.fromBayer(bayer8, { width: 6, height: 4, pattern: "RGGB" }));
    rec.log("bayer16", Image.fromBayer(bayer16, { width: 5, height: 3, pattern: "GBRG" }));
    rec.log("uyvy", Image.fromUyvy(uyvy, { width: 4, height: 2 }));
  });
  const byEntity = new Map(chunks.map((c) => [c.entityPath, c]));

  const expectations = [
    {
      entity: "/bayer8",
      format: { width: 6, height: 4, colorModel: 1, channelDatatype: 6 },
      layout: "BayerRGGB",
    },
    {
      entity: "/bayer16",
      format: { width: 5, height: 3, colorModel: 1, channelDatatype: 8 },
      layout: "BayerGBRG",
    },
    { entity: "/uyvy", format: { width: 8, height: 2, colorModel: 1, channelDatatype: 6 }, layout: "UYVY" },
  ] as const;

  for (const { entity, format, layout } of expectations) {
    it(`${entity}: Image:format is plain ${format.channelDatatype === 6 ? "L U8" : "L U16"} ${format.width}×${format.height} plus Image:iris_pixel_layout = ${layout}`, () => {
      const chunk = byEntity.get(entity);
      expect(chunk, `chunk of ${entity}`).toBeDefined();
      const components = [...chunk!.components.values()].map((c) => c.descriptor);
      expect(components.map((d) => d.component).sort()).toEqual([
        "Image:buffer",
        "Image:format",
        "Image:iris_pixel_layout",
      ]);
      // Every standard component keeps Rerun's descriptors; exactly one is Iris's own.
      for (const d of components) {
        expect(d.archetype).toBe("rerun.archetypes.Image");
        if (d.component !== "Image:iris_pixel_layout")
          expect(d.componentType).toMatch(/^rerun\.components\./);
      }
      expect(components.find((d) => d.component === "Image:iris_pixel_layout")!.componentType).toBe(
        "iris.components.PixelLayout",
      );
      const readFormat = chunk!.componentValues("Image:format", 0, ImageFormatType)![0]!;
      expect(readFormat).toEqual(format);
      expect(readFormat.pixelFormat).toBeUndefined();
      const bytes = chunk!.componentValues("Image:buffer", 0, ImageBufferType)![0]!;
      // What Rerun does with it: a valid L image, shown as grey raw samples.
      expect(() => validateImageBuffer(bytes, readFormat)).not.toThrow();
      expect(decodeImageToRgba8(bytes, readFormat).length).toBe(format.width * format.height * 4);
      expect(chunk!.componentValues("Image:iris_pixel_layout", 0, IrisPixelLayoutType)).toEqual([layout]);
    });
  }

  it("the bytes come back unchanged, so Iris decodes the same picture", () => {
    const check = (entity: string, original: Uint8Array): void => {
      const chunk = byEntity.get(entity)!;
      const bytes = chunk.componentValues("Image:buffer", 0, ImageBufferType)![0]!;
      const format = chunk.componentValues("Image:format", 0, ImageFormatType)![0]!;
      const layout = parseIrisPixelLayout(
        chunk.componentValues("Image:iris_pixel_layout", 0, IrisPixelLayoutType)![0]!,
      );
      expect(Array.from(bytes)).toEqual(Array.from(original));
      expect(Array.from(decodeIrisLayoutToRgba8(bytes, format, layout))).toEqual(
        Array.from(decodeIrisLayoutToRgba8(original, format, layout)),
      );
    };
    check("/bayer8", bayer8);
    check("/bayer16", new Uint8Array(bayer16.buffer));
    check("/uyvy", uyvy);
  });
});
