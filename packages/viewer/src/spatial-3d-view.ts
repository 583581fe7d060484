import { fitCanvasToDisplay, readCanvasPixels } from "./canvas-pixels.ts";
import {
  type GpuImage,
  ImageRenderer,
  LineRenderer,
  PointRenderer,
  type PrimitiveBatch,
  sampleColormap,
} from "@iris/renderer";
import type { ChunkStore } from "@iris/store";
import {
  type ImageFormat,
  channelDatatypeBytes,
  dataViewOf,
  effectiveChannelDatatype,
  readChannelValue,
} from "@iris/types";
import {
  type DepthDrawable,
  type SegmentationDrawable,
  entitiesWith,
  queryDepthImage,
  querySegmentationImage,
  segmentationRgba,
} from "./depth-segmentation-visualizer.ts";
import { formatClass } from "./depth-segmentation-visualizer.ts";
import { type GroundGrid, groundGrid } from "./ground-grid.ts";
import { type PlaneHit, type PlanePixels, planePixelAt } from "./plane-hover.ts";
import { placeTooltip } from "./view-2d-interaction.ts";
import { type ImageDrawable, type QueryTime, imageEntities, queryImage } from "./image-visualizer.ts";
import { type Mat4, type Vec3, multiply, transformHomogeneous, transformPoint } from "./mat4.ts";
import { type OrbitCamera, clipFromWorld, fitOrbitCamera, orbit, pan, zoom } from "./orbit-camera.ts";
import {
  type ResolvedEntity,
  type ResolvedPinhole,
  backProject,
  cameraFromRdf,
  resolveTransforms,
  storeTransformSource,
} from "./transform-tree.ts";

interface CachedGpuImage {
  gpu: GpuImage;
  width: number;
  height: number;
  lastUsed: number;
}

interface CachedCloud {
  batch: PrimitiveBatch;
  lastUsed: number;
}

/** An image drawn on a pinhole's image plane in the last frame (CSS px of the view canvas). */
export interface ProjectedImage {
  readonly entityPath: string;
  readonly pinholePath: string;
  readonly width: number;
  readonly height: number;
  /** Projected image corners (0,0), (w,0), (w,h), (0,h); undefined where behind the eye. */
  readonly corners: readonly ([number, number] | undefined)[];
  readonly opacity: number;
  /** world_from_image of the plane (column-major 4×4). */
  readonly worldFromImage: readonly number[];
}

/** A camera frustum drawn in the last frame. */
export interface ProjectedFrustum {
  readonly entityPath: string;
  /** World positions: camera origin, then the four image-plane corners. */
  readonly world: readonly Vec3[];
  /** The same, projected to CSS px (undefined when behind the eye). */
  readonly screen: readonly ([number, number] | undefined)[];
}

type Drawable = ImageDrawable | SegmentationDrawable;

const AXIS_COLORS: readonly (readonly [number, number, number, number])[] = [
  [230, 60, 60, 255],
  [60, 200, 60, 255],
  [70, 110, 240, 255],
];

/**
 * Rerun's Spatial3DView: orbit (drag), pan (right/shift-drag), zoom (wheel), double-click to reset; world axes at
 * the origin; every entity placed through the entity tree's Transform3Ds; a frustum per Pinhole with the images
 * of that pinhole (Image, EncodedImage, SegmentationImage) drawn on its image plane, and DepthImages under a
 * pinhole back-projected into coloured point clouds.
 */
export class Spatial3DView {
  readonly element: HTMLDivElement;
  readonly root = "/";
  readonly canvas: HTMLCanvasElement;
  private readonly gl: WebGL2RenderingContext;
  private readonly images: ImageRenderer;
  private readonly lines: LineRenderer;
  private readonly points: PointRenderer;
  private readonly gpuCache = new Map<string, CachedGpuImage>();
  private readonly clouds = new Map<string, CachedCloud>();
  private readonly decoding = new Set<string>();
  private camera: OrbitCamera | undefined;
  private userMovedCamera = false;
  private dirty = true;
  private frame = 0;
  private clipFromWorldMatrix: Mat4 | undefined;
  private projected: ProjectedImage[] = [];
  private frustumList: ProjectedFrustum[] = [];
  private pointTotal = 0;
  private axesEntities: string[] = [];
  private readonly errors = new Set<string>();
  private gridShown = true;
  private lastGrid: GroundGrid | undefined;
  private readonly gridToggle: HTMLInputElement;
  private planePixels: PlanePixels[] = [];
  private hover: { x: number; y: number; clientX: number; clientY: number } | undefined;
  private readonly tooltip: HTMLDivElement;

  constructor(
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-view iris-view-3d";
    this.element.dataset["root"] = "/";
    this.element.dataset["kind"] = "3d";
    const header = document.createElement("div");
    header.className = "iris-view-header";
    const title = document.createElement("span");
    title.textContent = "/ (3D)";
    const gridLabel = document.createElement("label");
    gridLabel.className = "iris-view-grid-toggle";
    this.gridToggle = document.createElement("input");
    this.gridToggle.type = "checkbox";
    this.gridToggle.checked = true;
    this.gridToggle.addEventListener("change", () => {
      this.showGrid = this.gridToggle.checked;
    });
    gridLabel.append(this.gridToggle, " Grid");
    header.append(title, gridLabel);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "iris-canvas";
    const gl = this.canvas.getContext("webgl2", {
      preserveDrawingBuffer: true,
      antialias: false,
      premultipliedAlpha: true,
      depth: true,
    });
    if (!gl) throw new Error("WebGL2 is not available in this browser");
    this.gl = gl;
    this.images = new ImageRenderer(gl);
    this.lines = new LineRenderer(gl);
    this.points = new PointRenderer(gl);
    const body = document.createElement("div");
    body.className = "iris-view-body";
    this.tooltip = document.createElement("div");
    this.tooltip.className = "iris-tooltip iris-tooltip-3d";
    body.append(this.canvas, this.tooltip);
    this.element.append(header, body);
    this.installInteraction();
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** Whether the ground grid is drawn (the header's "Grid" checkbox). */
  get showGrid(): boolean {
    return this.gridShown;
  }

  set showGrid(on: boolean) {
    this.gridShown = on;
    this.gridToggle.checked = on;
    this.invalidate();
  }

  /** The ground grid drawn in the last frame (undefined when hidden). */
  get grid(): GroundGrid | undefined {
    return this.lastGrid;
  }

  /** Images drawn on image planes in the last frame, back to front. */
  get projectedImages(): readonly ProjectedImage[] {
    return this.projected;
  }

  /** Camera frusta drawn in the last frame. */
  get frusta(): readonly ProjectedFrustum[] {
    return this.frustumList;
  }

  /** Entities with a Transform3D (outside any pinhole) whose axes were drawn in the last frame. */
  get transformAxes(): readonly string[] {
    return this.axesEntities;
  }

  /** Number of depth-cloud points drawn in the last frame. */
  get pointCount(): number {
    return this.pointTotal;
  }

  /** Problems found in the last frame (e.g. a depth image not under a pinhole). */
  get warnings(): readonly string[] {
    return [...this.errors];
  }

  /** Projects a world point to CSS px of the canvas (undefined if behind the eye or before the first frame). */
  project(p: Vec3): [number, number] | undefined {
    const m = this.clipFromWorldMatrix;
    if (!m) return undefined;
    const [x, y, , w] = transformHomogeneous(m, [p[0], p[1], p[2], 1]);
    if (!(w > 0)) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    return [((x / w + 1) / 2) * rect.width, ((1 - y / w) / 2) * rect.height];
  }

  /** Where image pixel coordinate (x, y) of a drawn plane image is on the canvas (CSS px). */
  projectImagePixel(entityPath: string, x: number, y: number): [number, number] | undefined {
    const p = this.projected.find((i) => i.entityPath === entityPath);
    return p ? this.project(transformPoint(p.worldFromImage, [x, y, 0])) : undefined;
  }

  /** The canvas's pixels (RGBA8, top row first, device pixels); `scale` = device px per CSS px. */
  readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array } {
    return readCanvasPixels(this.gl, this.canvas);
  }

  render(): void {
    const store = this.store();
    if (fitCanvasToDisplay(this.canvas)) this.dirty = true;
    if (!this.dirty || !store) return;
    // Layout is read only when a frame is drawn, not on every animation frame.
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const { width, height } = this.canvas;
    this.dirty = false;
    this.frame += 1;
    this.errors.clear();
    const at = this.time();
    const source = storeTransformSource(store, at);
    const paths = store.entityPaths();

    // Pass 1: 3D content (entity origins, cameras, depth clouds) sets the scene size and the plane-distance fallback.
    const provisional = resolveTransforms(source, paths, 1);
    const bounds = new Bounds();
    bounds.add([0, 0, 0]);
    for (const r of provisional.values()) {
      if (r.pinhole) bounds.add(transformPoint(r.pinhole.worldFromCamera, [0, 0, 0]));
      else bounds.add(transformPoint(r.worldFromEntity, [0, 0, 0]));
    }
    const clouds: PrimitiveBatch[] = [];
    for (const path of entitiesWith(store, "DepthImage:buffer")) {
      const depth = queryDepthImage(store, path, at);
      const pinhole = provisional.get(path)?.pinhole;
      if (!depth) continue;
      if (!pinhole) {
        this.errors.add(
          `${path}: Cannot draw depth image as 3D point cloud since it is not under a pinhole camera.`,
        );
        continue;
      }
      const cloud = this.depthCloud(depth, pinhole);
      clouds.push(cloud);
      bounds.addPoints(cloud.positions);
    }
    const diagonal = bounds.diagonal();
    const planeDistance = diagonal > 0 ? 0.02 * diagonal : 0.3;
    const resolved = resolveTransforms(source, paths, planeDistance);

    // Pinholes and the images under them.
    const pinholes = new Map<string, ResolvedPinhole>();
    for (const r of resolved.values()) if (r.pinhole) pinholes.set(r.pinhole.entityPath, r.pinhole);
    const planeImages = this.imagesOnPlanes(store, at, resolved);
    for (const p of pinholes.values()) for (const c of frustumWorld(p)) bounds.add(c);

    const up = this.sceneUp([...pinholes.values()]);
    if (!this.camera || !this.userMovedCamera) {
      this.camera = fitOrbitCamera(bounds.box(), up.up, up.back);
    }
    const aspect = rect.width / Math.max(1, rect.height);
    const clip = clipFromWorld(this.camera, aspect);
    this.clipFromWorldMatrix = clip;

    const gl = this.gl;
    gl.viewport(0, 0, width, height);
    gl.clearColor(0.07, 0.08, 0.09, 1);
    gl.clearDepth(1);
    gl.disable(gl.DEPTH_TEST);
    gl.depthMask(true);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);

    // Ground grid first, without depth: it stays behind all scene content.
    this.lastGrid = this.gridShown ? groundGrid(up.up, bounds.box()) : undefined;
    if (this.lastGrid) this.lines.draw(clip, this.lastGrid.lines);

    // Images: farthest plane first, then by draw order (no depth test; the renderer writes clip z = 0).
    const viewportFromClip = new Float64Array([
      width / 2,
      0,
      0,
      0,
      0,
      -height / 2,
      0,
      0,
      0,
      0,
      1,
      0,
      width / 2,
      height / 2,
      0,
      1,
    ]);
    const hasColor = planeImages.some((p) => p.d.kind !== "segmentation");
    const eyeDepth = (m: Mat4, w: number, h: number): number =>
      transformHomogeneous(clip, [...transformPoint(m, [w / 2, h / 2, 0]), 1])[3];
    planeImages.sort(
      (a, b) =>
        eyeDepth(b.worldFromImage, b.img.width, b.img.height) -
          eyeDepth(a.worldFromImage, a.img.width, a.img.height) || a.d.drawOrder - b.d.drawOrder,
    );
    this.projected = [];
    this.planePixels = [];
    for (const { d, img, worldFromImage, pinholePath } of planeImages) {
      const opacity =
        d.kind === "segmentation"
          ? (d.loggedOpacity ?? (hasColor ? 0.5 : 1))
          : (d.loggedOpacity ?? d.opacity);
      const viewFromImage = multiply(viewportFromClip, multiply(clip, worldFromImage));
      try {
        this.images.draw(img.gpu, { viewFromImage, opacity });
      } catch (error) {
        this.errors.add(`${d.entityPath}: ${(error as Error).message}`);
        continue;
      }
      const corners: Vec3[] = [
        [0, 0, 0],
        [img.width, 0, 0],
        [img.width, img.height, 0],
        [0, img.height, 0],
      ];
      this.projected.push({
        entityPath: d.entityPath,
        pinholePath,
        width: img.width,
        height: img.height,
        corners: corners.map((c) => this.project(transformPoint(worldFromImage, c))),
        opacity,
        worldFromImage: Array.from(worldFromImage),
      });
      if (d.kind === "segmentation") {
        const classes = d.classes;
        this.planePixels.push({
          entityPath: d.entityPath,
          worldFromImage,
          bytes: d.bytes,
          format: d.format,
          describe: (values) => formatClass(values[0] ?? 0, classes),
        });
      } else if (d.kind === "raw" && d.format) {
        this.planePixels.push({
          entityPath: d.entityPath,
          worldFromImage,
          bytes: d.bytes,
          format: d.format,
          irisLayout: d.irisLayout,
        });
      }
    }

    // Points and lines, depth-tested among themselves.
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
    this.pointTotal = 0;
    for (const cloud of clouds) {
      this.points.draw(clip, cloud, Math.max(2, 3 * dpr));
      this.pointTotal += cloud.positions.length / 3;
    }
    const lineData = new LineBuilder();
    const axisLength = diagonal > 0 ? 0.1 * diagonal : 1;
    AXIS_COLORS.forEach((color, axis) => {
      const end: [number, number, number] = [0, 0, 0];
      end[axis] = axisLength;
      lineData.segment([0, 0, 0], end, color);
    });
    // Small axes at every entity with its own Transform3D (Rerun's transform axes), 3D content only.
    this.axesEntities = [];
    for (const path of paths) {
      const r = resolved.get(path);
      if (!r || r.pinhole || !source.transform3d(path)) continue;
      this.axesEntities.push(path);
      const o = transformPoint(r.worldFromEntity, [0, 0, 0]);
      AXIS_COLORS.forEach((color, axis) => {
        const end: [number, number, number] = [0, 0, 0];
        end[axis] = axisLength * 0.5;
        lineData.segment(o, transformPoint(r.worldFromEntity, end), color);
      });
    }
    this.frustumList = [];
    for (const p of pinholes.values()) {
      const world = frustumWorld(p);
      const color = unpackColor(p.color ?? 0xd0d0d0ff);
      const [origin, ...corners] = world as [Vec3, Vec3, Vec3, Vec3, Vec3];
      corners.forEach((c, i) => {
        lineData.segment(origin, c, color);
        lineData.segment(c, corners[(i + 1) % 4]!, color);
      });
      this.frustumList.push({ entityPath: p.entityPath, world, screen: world.map((w) => this.project(w)) });
    }
    this.lines.draw(clip, lineData.batch());
    gl.disable(gl.DEPTH_TEST);
    this.element.dataset["warnings"] = this.warnings.join("\n");
    this.evictUnused();
    this.updateTooltip();
  }

  /**
   * The topmost plane image's pixel under a canvas position (CSS px): the ray from the eye through that position
   * intersected with each image plane; raw values formatted as in the 2D view. Encoded images are not read.
   */
  pixelAt(x: number, y: number): PlaneHit | undefined {
    const clip = this.clipFromWorldMatrix;
    if (!clip) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    return planePixelAt(this.planePixels, clip, rect, x, y);
  }

  private updateTooltip(): void {
    const hover = this.hover;
    const hit = hover && this.pixelAt(hover.x, hover.y);
    if (!hit || !hover) {
      this.tooltip.style.display = "none";
      return;
    }
    this.tooltip.style.display = "block";
    this.tooltip.textContent = `${hit.entityPath}  x ${hit.x}, y ${hit.y}  ${hit.text}`;
    placeTooltip(this.tooltip, hover.clientX, hover.clientY);
  }

  /** World "up" and the default viewing side: from the first pinhole (behind and above it), else +Z. */
  private sceneUp(pinholes: readonly ResolvedPinhole[]): { up: Vec3; back: Vec3 } {
    const p = pinholes[0];
    if (!p) return { up: [0, 0, 1], back: [0, -1, 0] };
    const m = multiply(p.worldFromCamera, cameraFromRdf(p.cameraXyz));
    const o = transformPoint(m, [0, 0, 0]);
    const dir = (v: Vec3): Vec3 => {
      const q = transformPoint(m, v);
      return [q[0] - o[0], q[1] - o[1], q[2] - o[2]];
    };
    const down = dir([0, 1, 0]);
    const forward = dir([0, 0, 1]);
    return { up: [-down[0], -down[1], -down[2]], back: [-forward[0], -forward[1], -forward[2]] };
  }

  private imagesOnPlanes(
    store: ChunkStore,
    at: QueryTime,
    resolved: ReadonlyMap<string, ResolvedEntity>,
  ): { d: Drawable; img: CachedGpuImage; worldFromImage: Mat4; pinholePath: string }[] {
    const out: { d: Drawable; img: CachedGpuImage; worldFromImage: Mat4; pinholePath: string }[] = [];
    const drawables: (Drawable | undefined)[] = [
      ...imageEntities(store).map((p) => queryImage(store, p, at)),
      ...entitiesWith(store, "SegmentationImage:buffer").map((p) => querySegmentationImage(store, p, at)),
    ];
    for (const d of drawables) {
      if (!d) continue;
      const r = resolved.get(d.entityPath);
      if (!r?.pinhole) continue; // 2D content is shown in 3D only under a pinhole
      const img = this.gpuImage(d);
      if (img) out.push({ d, img, worldFromImage: r.worldFromEntity, pinholePath: r.pinhole.entityPath });
    }
    return out;
  }

  private gpuImage(d: Drawable): CachedGpuImage | undefined {
    const cached = this.gpuCache.get(d.key);
    if (cached) {
      cached.lastUsed = this.frame;
      return cached;
    }
    const rgba = (w: number, h: number): ImageFormat => ({
      width: w,
      height: h,
      colorModel: 3,
      channelDatatype: 6,
    });
    type UploadDesc = Parameters<ImageRenderer["upload"]>[0];
    try {
      if (d.kind === "segmentation") {
        const gpu = this.images.upload({
          ...rgba(d.format.width, d.format.height),
          bytes: segmentationRgba(d.bytes, d.format, d.classes),
        } as UploadDesc);
        return this.remember(d.key, gpu, d.format.width, d.format.height);
      }
      if (d.kind === "raw" && d.format) {
        const gpu = this.images.upload({ ...d.format, bytes: d.bytes } as UploadDesc);
        return this.remember(d.key, gpu, d.format.width, d.format.height);
      }
    } catch (error) {
      this.errors.add(`${d.entityPath}: ${(error as Error).message}`);
      return undefined;
    }
    if (d.kind === "encoded" && !this.decoding.has(d.key)) {
      this.decoding.add(d.key);
      void decodeToRgba(d.bytes, d.mediaType).then(
        (data) => {
          const bytes = new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength);
          const gpu = this.images.upload({ ...rgba(data.width, data.height), bytes } as UploadDesc);
          this.remember(d.key, gpu, data.width, data.height);
          this.decoding.delete(d.key);
          this.invalidate();
        },
        (error: unknown) => {
          this.element.dataset["error"] = `${d.entityPath}: cannot decode: ${String(error)}`;
        },
      );
    }
    return undefined;
  }

  private remember(key: string, gpu: GpuImage, width: number, height: number): CachedGpuImage {
    const img = { gpu, width, height, lastUsed: this.frame };
    this.gpuCache.set(key, img);
    return img;
  }

  /** Back-projects every valid depth pixel (finite, > 0) into world space, coloured by the depth colormap. */
  private depthCloud(depth: DepthDrawable, pinhole: ResolvedPinhole): PrimitiveBatch {
    const key = `${depth.key}|${Array.from(pinhole.worldFromCamera).join(",")}|${pinhole.imageFromCamera.join(",")}|${depth.range.join(",")}|${depth.colormap}`;
    const cached = this.clouds.get(key);
    if (cached) {
      cached.lastUsed = this.frame;
      return cached.batch;
    }
    const { width, height } = depth.format;
    const values = readDepthValues(depth);
    const positions = new Float32Array(width * height * 3);
    const colors = new Uint8Array(width * height * 4);
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
        n++;
      }
    }
    const batch = { positions: positions.slice(0, n * 3), colors: colors.slice(0, n * 4) };
    this.clouds.set(key, { batch, lastUsed: this.frame });
    return batch;
  }

  private evictUnused(): void {
    for (const [key, img] of this.gpuCache) {
      if (this.frame - img.lastUsed > 120) {
        img.gpu.destroy();
        this.gpuCache.delete(key);
      }
    }
    for (const [key, c] of this.clouds) if (this.frame - c.lastUsed > 120) this.clouds.delete(key);
  }

  private installInteraction(): void {
    const c = this.canvas;
    let last: [number, number] | undefined;
    let panning = false;
    c.addEventListener("contextmenu", (e) => e.preventDefault());
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        if (!this.camera) return;
        this.camera = zoom(this.camera, Math.exp(-e.deltaY * 0.0015));
        this.userMovedCamera = true;
        this.invalidate();
      },
      { passive: false },
    );
    c.addEventListener("pointerdown", (e) => {
      c.setPointerCapture(e.pointerId);
      last = [e.clientX, e.clientY];
      panning = e.button === 2 || e.button === 1 || e.shiftKey;
    });
    c.addEventListener("pointermove", (e) => {
      const r = c.getBoundingClientRect();
      this.hover = { x: e.clientX - r.left, y: e.clientY - r.top, clientX: e.clientX, clientY: e.clientY };
      if (!last) this.updateTooltip();
      if (!last || !this.camera) return;
      const dx = e.clientX - last[0];
      const dy = e.clientY - last[1];
      last = [e.clientX, e.clientY];
      this.camera = panning
        ? pan(this.camera, dx, dy, c.getBoundingClientRect().height)
        : orbit(this.camera, dx, dy);
      this.userMovedCamera = true;
      this.invalidate();
    });
    const release = (): void => {
      last = undefined;
    };
    c.addEventListener("pointerup", release);
    c.addEventListener("pointerleave", () => {
      this.hover = undefined;
      this.updateTooltip();
    });
    c.addEventListener("pointercancel", release);
    c.addEventListener("dblclick", () => {
      this.userMovedCamera = false;
      this.camera = undefined;
      this.invalidate();
    });
  }
}

/** Camera origin and the four image-plane corners of a pinhole, in world space. */
function frustumWorld(p: ResolvedPinhole): Vec3[] {
  const [w, h] = p.resolution ?? [2 * p.imageFromCamera[6]!, 2 * p.imageFromCamera[7]!];
  return [
    transformPoint(p.worldFromCamera, [0, 0, 0]),
    transformPoint(p.worldFromImage, [0, 0, 0]),
    transformPoint(p.worldFromImage, [w, 0, 0]),
    transformPoint(p.worldFromImage, [w, h, 0]),
    transformPoint(p.worldFromImage, [0, h, 0]),
  ];
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

class Bounds {
  private min: [number, number, number] = [Infinity, Infinity, Infinity];
  private max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  add(p: Vec3): void {
    for (let i = 0; i < 3; i++) {
      if (!Number.isFinite(p[i]!)) return;
    }
    for (let i = 0; i < 3; i++) {
      this.min[i] = Math.min(this.min[i]!, p[i]!);
      this.max[i] = Math.max(this.max[i]!, p[i]!);
    }
  }
  addPoints(xyz: Float32Array): void {
    for (let i = 0; i + 2 < xyz.length; i += 3) this.add([xyz[i]!, xyz[i + 1]!, xyz[i + 2]!]);
  }
  diagonal(): number {
    return Number.isFinite(this.min[0]) ? Math.hypot(...this.max.map((m, i) => m - this.min[i]!)) : 0;
  }
  box(): { min: Vec3; max: Vec3 } {
    return Number.isFinite(this.min[0])
      ? { min: this.min, max: this.max }
      : { min: [-1, -1, -1], max: [1, 1, 1] };
  }
}

async function decodeToRgba(bytes: Uint8Array, mediaType: string | undefined): Promise<ImageData> {
  const blob = new Blob([bytes as BlobPart], mediaType ? { type: mediaType } : {});
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}
