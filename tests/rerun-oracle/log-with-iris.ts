// Logs, with the Iris SDK, the same data log_format_space.py logged with Rerun's (read from its manifest and the
// saved arrays), so both writers' files can be compared by Rerun and read back by Rerun's Python API.
import path from "node:path";
import {
  ChannelDatatype,
  ColorModel,
  DepthImage,
  EncodedImage,
  Image,
  RecordingStream,
  SegmentationImage,
  TimeColumn,
} from "@iris/sdk";
import { save } from "@iris/sdk/node";
import type { FormatSpace, OracleItem } from "./rerun-venv.ts";

/** Items Iris cannot log: Rerun 0.41's Bayer PixelFormats (128…131) are unknown to Iris. */
export const notLoggableByIris = (item: OracleItem): boolean => /^Bayer/.test(item.pixelFormat ?? "");

type Typed =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;
const VIEWS: Record<string, new (b: ArrayBuffer) => Typed> = {
  U8: Uint8Array,
  I8: Int8Array,
  U16: Uint16Array,
  I16: Int16Array,
  U32: Uint32Array,
  I32: Int32Array,
  U64: BigUint64Array,
  I64: BigInt64Array,
  F16: Uint16Array, // half-float bit patterns
  F32: Float32Array,
  F64: Float64Array,
};

/** The saved little-endian bytes as the typed array of `datatype` (what an Iris user would pass). */
async function pixels(space: FormatSpace, rel: string, datatype: string): Promise<Typed> {
  const bytes = await space.bytes(rel);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new VIEWS[datatype]!(copy.buffer);
}

async function write(
  out: string,
  applicationId: string,
  log: (rec: RecordingStream) => Promise<void>,
): Promise<string> {
  const rec = new RecordingStream({ applicationId });
  save(out, rec);
  await log(rec);
  rec.close();
  return out;
}

/** Writes `<dir>/iris-formats.rrd`, `iris-updates.rrd` and `iris-scene.rrd` (images, depth, segmentation, encoded). */
export async function logFormatSpaceWithIris(
  space: FormatSpace,
  dir: string,
): Promise<Record<string, string>> {
  const items = space.items.filter((i) => !notLoggableByIris(i));
  const formats = await write(
    path.join(dir, "iris-formats.rrd"),
    space.files.formats!.applicationId,
    async (rec) => {
      for (const item of items.filter((i) => i.file === "formats")) {
        const bytes = await pixels(space, item.buffer!, item.datatype ?? "U8");
        const options = item.pixelFormat
          ? { width: item.width!, height: item.height!, pixelFormat: item.pixelFormat }
          : {
              width: item.width!,
              height: item.height!,
              colorModel: item.colorModel!,
              datatype: item.datatype!,
              ...(item.opacity === undefined ? {} : { opacity: item.opacity }),
              ...(item.drawOrder === undefined ? {} : { drawOrder: item.drawOrder }),
            };
        if (item.static === true) {
          rec.log(item.entity, new Image(bytes, options), { static: true });
        } else {
          rec.setTimeSequence("frame", 0);
          rec.log(item.entity, new Image(bytes, options));
        }
      }
    },
  );
  const updates = await write(
    path.join(dir, "iris-updates.rrd"),
    space.files.updates!.applicationId,
    async (rec) => {
      for (const item of items.filter((i) => i.entity === "/rows/image")) {
        rec.setTimeSequence("frame", BigInt(item.times!.frame!));
        rec.setTimeNanos("sim_time", BigInt(item.times!.sim_time!));
        rec.setTimestamp("wall", BigInt(item.times!.wall!));
        rec.log(
          item.entity,
          new Image(await space.bytes(item.buffer!), { width: 6, height: 4, colorModel: "RGB" }),
        );
      }
      rec.resetTime();
      const columns = items.filter((i) => i.entity === "/columns/image");
      const format = { width: 5, height: 3, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.U16 };
      rec.log("/columns/image", Image.fromFields({ format }), { static: true });
      const times = (name: string): BigInt64Array =>
        BigInt64Array.from(columns.map((c) => BigInt(c.times![name]!)));
      rec.sendColumns(
        "/columns/image",
        [
          new TimeColumn("step", { sequence: times("step") }),
          new TimeColumn("sim_time", { duration: times("sim_time") }),
          new TimeColumn("wall", { timestamp: times("wall") }),
        ],
        Image.columns({ buffer: await Promise.all(columns.map((c) => space.bytes(c.buffer!))) }),
      );
    },
  );
  const scene = await write(
    path.join(dir, "iris-scene.rrd"),
    space.files.scene!.applicationId,
    async (rec) => {
      rec.setTimeSequence("frame", 1);
      for (const item of items.filter((i) => i.file === "scene")) {
        if (item.archetype === "DepthImage") {
          const options = {
            width: item.width!,
            height: item.height!,
            datatype: item.datatype!,
            meter: item.meter!,
          };
          rec.log(item.entity, new DepthImage(await pixels(space, item.buffer!, item.datatype!), options));
        } else if (item.archetype === "SegmentationImage") {
          const options = { width: item.width!, height: item.height!, datatype: item.datatype! };
          rec.log(
            item.entity,
            new SegmentationImage(await pixels(space, item.buffer!, item.datatype!), options),
          );
        } else if (item.archetype === "EncodedImage") {
          rec.log(
            item.entity,
            new EncodedImage(await space.bytes(item.blob!), { mediaType: item.mediaType! }),
          );
        }
      }
    },
  );
  return { formats, updates, scene };
}
