import { type PrimitiveBatch, sampleColormap } from "@iris/renderer";
import { channelDatatypeBytes, dataViewOf, effectiveChannelDatatype, readChannelValue } from "@iris/types";
import type { DepthDrawable } from "./depth-segmentation-visualizer.ts";
import { transformPoint } from "./mat4.ts";
import { type ResolvedPinhole, backProject } from "./transform-tree.ts";

/** A depth image's point cloud, and for each point the index (v · width + u) of the depth pixel it came from. */
export interface DepthCloud {
  readonly batch: PrimitiveBatch;
  readonly pixelIndex: Uint32Array;
}

/** Frames a cloud may go unused before it is dropped. */
const KEEP_FRAMES = 120;

/**
 * Depth images back-projected into coloured point clouds, cached by image, pinhole, range and colormap, and
 * dropped when unused for a while.
 */
export class DepthCloudCache {
  private readonly clouds = new Map<string, { cloud: DepthCloud; lastUsed: number }>();

  /** The cloud of a depth image under a pinhole, made once per key; `frame` marks it used. */
  cloud(depth: DepthDrawable, pinhole: ResolvedPinhole, frame: number): DepthCloud {
    const key = `${depth.key}|${Array.from(pinhole.worldFromCamera).join(",")}|${pinhole.imageFromCamera.join(",")}|${depth.range.join(",")}|${depth.colormap}`;
    const cached = this.clouds.get(key);
    if (cached) {
      cached.lastUsed = frame;
      return cached.cloud;
    }
    const cloud = depthCloud(depth, pinhole);
    this.clouds.set(key, { cloud, lastUsed: frame });
    return cloud;
  }

  /** Drops clouds not used in the last frames. */
  evict(frame: number): void {
    for (const [key, c] of this.clouds) if (frame - c.lastUsed > KEEP_FRAMES) this.clouds.delete(key);
  }
}

/** Back-projects every valid depth pixel (finite, > 0) into world space, coloured by the depth colormap. */
export function depthCloud(depth: DepthDrawable, pinhole: ResolvedPinhole): DepthCloud {
  const { width, height } = depth.format;
  const values = readDepthValues(depth);
  const positions = new Float32Array(width * height * 3);
  const colors = new Uint8Array(width * height * 4);
  const pixelIndex = new Uint32Array(width * height);
  const [lo, hi] = depth.range;
  let n = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const raw = values[v * width + u]!;
      if (!Number.isFinite(raw) || raw <= 0) continue;
      const local = backProject(pinhole.imageFromCamera, u, v, raw / depth.meter, pinhole.cameraXyz);
      positions.set(transformPoint(pinhole.worldFromCamera, local), n * 3);
      const [r, g, b] = sampleColormap(depth.colormap, (raw - lo) / (hi - lo));
      colors.set([Math.round(r), Math.round(g), Math.round(b), 255], n * 4);
      pixelIndex[n] = v * width + u;
      n++;
    }
  }
  return {
    batch: { positions: positions.slice(0, n * 3), colors: colors.slice(0, n * 4) },
    pixelIndex: pixelIndex.slice(0, n),
  };
}

function readDepthValues(depth: DepthDrawable): Float64Array {
  const { width, height } = depth.format;
  const out = new Float64Array(width * height).fill(NaN);
  const dt = effectiveChannelDatatype(depth.format);
  const size = channelDatatypeBytes(dt);
  const view = dataViewOf(depth.bytes);
  for (let i = 0; i < out.length && (i + 1) * size <= depth.bytes.length; i++) {
    out[i] = readChannelValue(view, dt, i * size);
  }
  return out;
}
