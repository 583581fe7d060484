/**
 * Fixture recordings built with the independent writer (not the SDK), mirroring the seed examples' content.
 * They let the harness and its pixel checks be proven against the real viewer on their own.
 */
import {
  ColorModel,
  ChannelDatatype,
  imageComponents,
  writeFixtureRrd,
} from "./independent-rrd-fixture-writer.ts";

function rgbImage(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const i = 3 * (y * width + x);
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
    }
  }
  return out;
}

const rgb8 = { width: 300, height: 200, colorModel: ColorModel.RGB, channelDatatype: ChannelDatatype.U8 };

/** image_simple: 300×200 red with a green square at x, y ∈ [50, 150); static, entity `/image`. */
export function imageSimpleFixture(): Uint8Array {
  const buffer = rgbImage(300, 200, (x, y) =>
    x >= 50 && x < 150 && y >= 50 && y < 150 ? [0, 255, 0] : [255, 0, 0],
  );
  return writeFixtureRrd({
    applicationId: "iris_fixture_image_simple",
    recordingId: `fixture-image-simple-${crypto.randomUUID()}`,
    chunks: [{ entityPath: "/image", components: imageComponents([{ buffer, format: rgb8 }]) }],
  });
}

/** image_row_updates: 20 frames on sequence timeline `time`, blue with a cyan 100×100 rectangle at x = 10t. */
export function imageRowUpdatesFixture(): Uint8Array {
  const frames = Array.from({ length: 20 }, (_, t) => ({
    buffer: rgbImage(300, 200, (x, y) =>
      x >= 10 * t && x < 10 * t + 100 && y >= 50 && y < 150 ? [0, 255, 255] : [0, 0, 255],
    ),
    format: rgb8,
  }));
  return writeFixtureRrd({
    applicationId: "iris_fixture_image_row_updates",
    recordingId: `fixture-image-row-updates-${crypto.randomUUID()}`,
    chunks: [
      {
        entityPath: "/images",
        sequence: { name: "time", values: frames.map((_, t) => t) },
        components: imageComponents(frames),
      },
    ],
  });
}

/** Negative control: image_simple's geometry with a blue square instead of green. */
export function imageSimpleWrongColoursFixture(): Uint8Array {
  const buffer = rgbImage(300, 200, (x, y) =>
    x >= 50 && x < 150 && y >= 50 && y < 150 ? [0, 0, 255] : [255, 0, 0],
  );
  return writeFixtureRrd({
    applicationId: "iris_fixture_wrong_colours",
    recordingId: `fixture-wrong-colours-${crypto.randomUUID()}`,
    chunks: [{ entityPath: "/image", components: imageComponents([{ buffer, format: rgb8 }]) }],
  });
}
