import type { MaxImageDimensions } from "./image-dimensions.ts";
import { commonEntityAncestor, entityParent, entityPathPrefixes } from "./entity-path-parts.ts";

/** A 2D view the heuristics recommend: everything under `origin` ("subtree") or the origin entity alone. */
export interface ViewSpec {
  readonly origin: string;
  readonly contents: "subtree" | "entity";
}

/** What the 2D view heuristics look at. */
export interface HeuristicsInput {
  /** Every entity path of the recording. */
  readonly entityPaths: readonly string[];
  /** Entities a 2D view can show (those with Image, EncodedImage, DepthImage or SegmentationImage data). */
  readonly visualizable: ReadonlySet<string>;
  /** Per entity, the largest image it logged and its image kinds (entities with no known size are absent). */
  readonly dimensions: ReadonlyMap<string, MaxImageDimensions>;
  /** Entities with a Pinhole: each starts its own 2D subspace. */
  readonly pinholes: ReadonlySet<string>;
}

/**
 * Rerun's 2D view spawn heuristics (re_view_spatial `view_2d.rs`, `recommended_views_with_image_splits`): per
 * spatial subspace (split at pinholes), start at the pinhole — or the common ancestor of the subspace's 2D
 * entities — and put a subtree into one view only when its images can be overlaid: all the same size, at most
 * one colour image and at most one depth image (any number of segmentation images). Otherwise split into the
 * children, giving a visualizable origin its own single-entity view. The result is sorted by origin.
 */
export function recommendedViews2d(input: HeuristicsInput): ViewSpec[] {
  const tree = buildTree(input.entityPaths);
  const subspaces = new Map<string, string[]>();
  for (const entity of input.visualizable) {
    const origin = subspaceOf(entity, input.pinholes);
    let list = subspaces.get(origin);
    if (!list) subspaces.set(origin, (list = []));
    list.push(entity);
  }
  const out: ViewSpec[] = [];
  for (const [origin, entities] of subspaces) {
    const relevant = new Set(entities);
    const root = input.pinholes.has(origin) ? origin : commonAncestor(entities);
    const views: ViewSpec[] = [];
    splitByImages(tree, root, input.dimensions, relevant, views);
    if (views.length === 0) views.push({ origin: root, contents: "subtree" });
    out.push(...views);
  }
  const seen = new Set<string>();
  return out
    .filter((v) => (seen.has(v.origin) ? false : (seen.add(v.origin), true)))
    .sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
}

/** Whether `entity` is shown by a view of `spec`. */
export function viewIncludes(spec: ViewSpec, entity: string): boolean {
  if (spec.contents === "entity") return entity === spec.origin;
  return spec.origin === "/" || entity === spec.origin || entity.startsWith(`${spec.origin}/`);
}

type Tree = Map<string, string[]>; // path → sorted child paths

function buildTree(paths: readonly string[]): Tree {
  const children = new Map<string, Set<string>>([["/", new Set()]]);
  for (const path of paths) {
    let parent = "/";
    for (const child of entityPathPrefixes(path)) {
      let set = children.get(parent);
      if (!set) children.set(parent, (set = new Set()));
      set.add(child);
      if (!children.has(child)) children.set(child, new Set());
      parent = child;
    }
  }
  return new Map([...children].map(([k, v]) => [k, [...v].sort()]));
}

function subspaceOf(entity: string, pinholes: ReadonlySet<string>): string {
  for (let path = entity; ; path = parentOf(path)) {
    if (pinholes.has(path)) return path;
    if (path === "/") return "/";
  }
}

const parentOf = entityParent;
const commonAncestor = commonEntityAncestor;

interface ImageCounts {
  color: number;
  depth: number;
  segmentation: number;
}

/** Counts the images under `root` (itself included); false when they do not all share one size or there are none. */
function singleSharedSize(
  tree: Tree,
  root: string,
  dimensions: ReadonlyMap<string, MaxImageDimensions>,
  counts: ImageCounts,
): boolean {
  let size: string | undefined;
  let same = true;
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop()!;
    const d = dimensions.get(path);
    if (d) {
      const key = `${d.width}x${d.height}`;
      if (size === undefined) size = key;
      else if (size !== key) same = false;
      counts.color += Number(d.kinds.has("image")) + Number(d.kinds.has("encoded"));
      counts.depth += Number(d.kinds.has("depth"));
      counts.segmentation += Number(d.kinds.has("segmentation"));
    }
    pending.push(...(tree.get(path) ?? []));
  }
  return same && size !== undefined;
}

function splitByImages(
  tree: Tree,
  origin: string,
  dimensions: ReadonlyMap<string, MaxImageDimensions>,
  visualizable: ReadonlySet<string>,
  out: ViewSpec[],
): void {
  if (!tree.has(origin)) return;
  const counts: ImageCounts = { color: 0, depth: 0, segmentation: 0 };
  const sameSize = singleSharedSize(tree, origin, dimensions, counts);
  if (counts.color + counts.depth + counts.segmentation === 0) return;
  // Overlaying is useful only for compatible images: one colour image, one depth image, any segmentation.
  const canOverlay = sameSize && counts.color <= 1 && counts.depth <= 1;
  if (canOverlay && visualizable.has(origin)) {
    out.push({ origin, contents: "subtree" });
    return;
  }
  const before = out.length;
  if (visualizable.has(origin)) out.push({ origin, contents: "entity" });
  for (const child of tree.get(origin) ?? []) splitByImages(tree, child, dimensions, visualizable, out);
  // One subtree view is better than several child views, unless it would be needlessly general (one child).
  if (canOverlay && out.length - before > 1) {
    out.length = before;
    out.push({ origin, contents: "subtree" });
  }
}
