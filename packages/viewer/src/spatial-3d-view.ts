import { ImageRenderer, LineRenderer, LinearCompositor, PointRenderer } from "@iris/renderer";
import type { ChunkStore } from "@iris/store";
import { fitCanvasToDisplay, readCanvasPixels } from "./canvas-pixels.ts";
import { DepthCloudCache } from "./depth-cloud-cache.ts";
import { type DrawnDepthCloud, depthPointAt } from "./depth-point-hover.ts";
import { entitiesWith, queryDepthImage } from "./depth-segmentation-visualizer.ts";
import { GpuImageCache } from "./gpu-image-cache.ts";
import { type GroundGrid, groundGrid } from "./ground-grid.ts";
import type { QueryTime } from "./image-visualizer.ts";
import { type Mat4, type Vec3, transformHomogeneous, transformPoint } from "./mat4.ts";
import { type OrbitCamera, clipFromWorld, fitOrbitCamera } from "./orbit-camera.ts";
import { type HoverPoint, installOrbitInteraction } from "./orbit-interaction.ts";
import { type PlaneHit, type PlanePixels, planePixelAt } from "./plane-hover.ts";
import { type ProjectedImage, drawPlaneImages, queryPlaneImages } from "./plane-images.ts";
import { SceneBounds } from "./scene-bounds.ts";
import { spatial3dEntities } from "./spatial-3d-entities.ts";
import { visibleWithAncestors } from "./visibility.ts";
import { frustumWorld, sceneLines } from "./scene-lines.ts";
import { sceneUp } from "./scene-up.ts";
import { type ResolvedPinhole, resolveTransforms, storeTransformSource } from "./transform-tree.ts";
import { placeTooltip } from "./view-2d-interaction.ts";

export type { ProjectedImage } from "./plane-images.ts";

/** A camera frustum drawn in the last frame. */
export interface ProjectedFrustum {
  readonly entityPath: string;
  /** World positions: camera origin, then the four image-plane corners. */
  readonly world: readonly Vec3[];
  /** The same, projected to CSS px (undefined when behind the eye). */
  readonly screen: readonly ([number, number] | undefined)[];
}

export interface Spatial3DViewOptions {
  /** Whether the user left an entity visible in this view (hiding an entity hides its descendants too). */
  readonly isVisible?: (entityPath: string) => boolean;
}

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
  /** Everything is drawn into its linear target, so images blend in linear light as in Rerun (and the 2D view). */
  private readonly compositor: LinearCompositor;
  private readonly textures: GpuImageCache;
  private readonly clouds = new DepthCloudCache();
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
  private drawnClouds: DrawnDepthCloud[] = [];
  private pointRadiusCss = 1;
  private hover: HoverPoint | undefined;
  private readonly tooltip: HTMLDivElement;

  constructor(
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
    private readonly options: Spatial3DViewOptions = {},
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
    this.compositor = new LinearCompositor(gl);
    this.textures = new GpuImageCache(this.images, {
      decoded: () => this.invalidate(),
      warn: (text) => this.errors.add(text),
      decodeFailed: (entityPath, error) => {
        this.element.dataset["error"] = `${entityPath}: cannot decode: ${String(error)}`;
      },
    });
    const body = document.createElement("div");
    body.className = "iris-view-body";
    this.tooltip = document.createElement("div");
    this.tooltip.className = "iris-tooltip iris-tooltip-3d";
    body.append(this.canvas, this.tooltip);
    this.element.append(header, body);
    installOrbitInteraction(this.canvas, {
      camera: () => this.camera,
      moveCamera: (camera) => {
        this.camera = camera;
        this.userMovedCamera = true;
        this.invalidate();
      },
      resetCamera: () => {
        this.userMovedCamera = false;
        this.camera = undefined;
        this.invalidate();
      },
      hover: (at, dragging) => {
        this.hover = at;
        if (!dragging) this.updateTooltip();
      },
    });
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** The entities this view draws (see `spatial3dEntities`), sorted. */
  entities(): string[] {
    const store = this.store();
    return store ? spatial3dEntities(store) : [];
  }

  private shown(entityPath: string): boolean {
    const isVisible = this.options.isVisible;
    return isVisible === undefined || visibleWithAncestors(entityPath, isVisible);
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
    const bounds = new SceneBounds();
    bounds.add([0, 0, 0]);
    for (const r of provisional.values()) {
      if (r.pinhole) bounds.add(transformPoint(r.pinhole.worldFromCamera, [0, 0, 0]));
      else bounds.add(transformPoint(r.worldFromEntity, [0, 0, 0]));
    }
    const clouds: DrawnDepthCloud[] = [];
    for (const path of entitiesWith(store, "DepthImage:buffer")) {
      if (!this.shown(path)) continue;
      const depth = queryDepthImage(store, path, at);
      const pinhole = provisional.get(path)?.pinhole;
      if (!depth) continue;
      if (!pinhole) {
        this.errors.add(
          `${path}: Cannot draw depth image as 3D point cloud since it is not under a pinhole camera.`,
        );
        continue;
      }
      const cloud = this.clouds.cloud(depth, pinhole, this.frame);
      clouds.push({ depth, cloud });
      bounds.addPoints(cloud.batch.positions);
    }
    const diagonal = bounds.diagonal();
    const planeDistance = diagonal > 0 ? 0.02 * diagonal : 0.3;
    const resolved = resolveTransforms(source, paths, planeDistance);

    // Pinholes and the images under them.
    const pinholes = new Map<string, ResolvedPinhole>();
    for (const r of resolved.values()) if (r.pinhole) pinholes.set(r.pinhole.entityPath, r.pinhole);
    for (const path of pinholes.keys()) if (!this.shown(path)) pinholes.delete(path);
    const planeImages = queryPlaneImages({
      store,
      at,
      resolved,
      visible: (path) => this.shown(path),
      texture: (d) => this.textures.image(d, this.frame),
    });
    for (const p of pinholes.values()) for (const c of frustumWorld(p)) bounds.add(c);

    const up = sceneUp([...pinholes.values()]);
    if (!this.camera || !this.userMovedCamera) {
      this.camera = fitOrbitCamera(bounds.box(), up.up, up.back);
    }
    const aspect = rect.width / Math.max(1, rect.height);
    const clip = clipFromWorld(this.camera, aspect);
    this.clipFromWorldMatrix = clip;

    const gl = this.gl;
    // Into the compositor's SRGB8_ALPHA8 target (with depth): blending happens in linear light, as in Rerun.
    this.compositor.begin(width, height, [0.07, 0.08, 0.09], { depth: true });
    gl.disable(gl.DEPTH_TEST);
    const linear = { target: "linear" } as const;

    // Ground grid first, without depth: it stays behind all scene content.
    this.lastGrid = this.gridShown ? groundGrid(up.up, bounds.box()) : undefined;
    if (this.lastGrid) this.lines.draw(clip, this.lastGrid.lines, linear);

    const drawn = drawPlaneImages(this.images, planeImages, {
      clip,
      width,
      height,
      project: (p) => this.project(p),
      warn: (text) => this.errors.add(text),
    });
    this.projected = drawn.projected;
    this.planePixels = drawn.planePixels;

    // Points and lines, depth-tested among themselves.
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
    this.pointTotal = 0;
    const pointSize = Math.max(2, 3 * dpr);
    for (const { cloud } of clouds) {
      this.points.draw(clip, cloud.batch, pointSize, linear);
      this.pointTotal += cloud.batch.positions.length / 3;
    }
    this.drawnClouds = clouds;
    this.pointRadiusCss = Math.max(2, pointSize / 2 / dpr); // hover picks a point within half its size (≥ 2 px)
    const lines = sceneLines({
      paths: paths.filter((path) => this.shown(path)),
      resolved,
      source,
      pinholes: pinholes.values(),
      axisLength: diagonal > 0 ? 0.1 * diagonal : 1,
    });
    this.axesEntities = lines.axesEntities;
    this.frustumList = lines.frusta.map((f) => ({ ...f, screen: f.world.map((w) => this.project(w)) }));
    this.lines.draw(clip, lines.batch, linear);
    gl.disable(gl.DEPTH_TEST);
    this.compositor.present();
    this.element.dataset["warnings"] = this.warnings.join("\n");
    this.textures.evict(this.frame);
    this.clouds.evict(this.frame);
    this.updateTooltip();
  }

  /**
   * The pixel under a canvas position (CSS px): a depth point drawn there (points are drawn over image planes),
   * else the topmost plane image's pixel where the ray from the eye meets its plane; raw values formatted as in
   * the 2D view. Encoded images are not read.
   */
  pixelAt(x: number, y: number): PlaneHit | undefined {
    const clip = this.clipFromWorldMatrix;
    if (!clip) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    return (
      depthPointAt(this.drawnClouds, clip, rect, x, y, this.pointRadiusCss) ??
      planePixelAt(this.planePixels, clip, rect, x, y)
    );
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
}
