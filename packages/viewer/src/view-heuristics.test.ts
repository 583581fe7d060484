import { describe, expect, it } from "vitest";
import { encodedImageSize, type ImageKind, type MaxImageDimensions } from "./image-dimensions.ts";
import { type ViewSpec, recommendedViews2d, viewIncludes } from "./view-heuristics.ts";

type Images = Record<string, [ImageKind, number, number]>;

function recommend(images: Images, options: { pinholes?: string[]; others?: string[] } = {}): ViewSpec[] {
  const dimensions = new Map<string, MaxImageDimensions>(
    Object.entries(images).map(([path, [kind, width, height]]) => [
      path,
      { width, height, kinds: new Set([kind]) },
    ]),
  );
  return recommendedViews2d({
    entityPaths: [...Object.keys(images), ...(options.others ?? []), ...(options.pinholes ?? [])],
    visualizable: new Set(Object.keys(images)),
    dimensions,
    pinholes: new Set(options.pinholes ?? []),
  });
}

const subtree = (origin: string): ViewSpec => ({ origin, contents: "subtree" });

describe("2D view heuristics (Rerun's recommended_views_with_image_splits)", () => {
  it("gives two colour images of the same size under one root their own views (never one under the other)", () => {
    expect(recommend({ "/camera/rgb": ["image", 640, 480], "/camera/depth": ["image", 640, 480] })).toEqual([
      subtree("/camera/depth"),
      subtree("/camera/rgb"),
    ]);
  });

  it("overlays a DepthImage on a colour image of the same size in one view at their parent", () => {
    expect(recommend({ "/camera/rgb": ["image", 640, 480], "/camera/depth": ["depth", 640, 480] })).toEqual([
      subtree("/camera"),
    ]);
  });

  it("splits a colour and a depth image of different sizes", () => {
    expect(recommend({ "/camera/rgb": ["image", 640, 480], "/camera/depth": ["depth", 320, 240] })).toEqual([
      subtree("/camera/depth"),
      subtree("/camera/rgb"),
    ]);
  });

  it("overlays any number of segmentation images, but never two depth images", () => {
    expect(
      recommend({
        "/scene/image": ["encoded", 8, 8],
        "/scene/seg1": ["segmentation", 8, 8],
        "/scene/seg2": ["segmentation", 8, 8],
      }),
    ).toEqual([subtree("/scene")]);
    expect(recommend({ "/auto/depth": ["depth", 16, 4], "/ranged/depth": ["depth", 16, 4] })).toEqual([
      subtree("/auto/depth"),
      subtree("/ranged/depth"),
    ]);
  });

  it("gives an image at a split origin a single-entity view next to its children's views", () => {
    expect(recommend({ "/a": ["image", 4, 4], "/a/b": ["image", 4, 4] })).toEqual([
      { origin: "/a", contents: "entity" },
      subtree("/a/b"),
    ]);
  });

  it("roots a view at the image itself rather than a needlessly general ancestor", () => {
    expect(recommend({ "/a/b/c": ["image", 4, 4] }, { others: ["/a/points"] })).toEqual([subtree("/a/b/c")]);
  });

  it("starts a pinhole's subspace at the pinhole, sorted by origin", () => {
    expect(
      recommend(
        { "/world/cam/image": ["image", 4, 4], "/b_flat": ["image", 2, 2] },
        { pinholes: ["/world/cam"] },
      ),
    ).toEqual([subtree("/b_flat"), subtree("/world/cam/image")]);
    expect(
      recommend(
        {
          "/world/cam/rgb": ["image", 4, 4],
          "/world/cam/depth": ["depth", 4, 4],
          "/world/rgb": ["image", 4, 4],
        },
        { pinholes: ["/world/cam"] },
      ),
    ).toEqual([subtree("/world/cam"), subtree("/world/rgb")]);
  });

  it("falls back to one view at the common root when no image size is known", () => {
    const views = recommendedViews2d({
      entityPaths: ["/x/a", "/x/b"],
      visualizable: new Set(["/x/a", "/x/b"]),
      dimensions: new Map(),
      pinholes: new Set(),
    });
    expect(views).toEqual([subtree("/x")]);
  });

  it("decides which entities a view shows", () => {
    expect(viewIncludes(subtree("/a"), "/a/b")).toBe(true);
    expect(viewIncludes(subtree("/a"), "/ab")).toBe(false);
    expect(viewIncludes({ origin: "/a", contents: "entity" }, "/a/b")).toBe(false);
    expect(viewIncludes({ origin: "/a", contents: "entity" }, "/a")).toBe(true);
  });
});

describe("encodedImageSize", () => {
  it("reads PNG and JPEG headers and rejects other data", () => {
    const png = new Uint8Array(24);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    png.set([0, 0, 0x01, 0x2c, 0, 0, 0, 0xc8], 16); // 300 × 200
    expect(encodedImageSize(png)).toEqual({ width: 300, height: 200 });
    // SOI, an APP0 segment of length 4, then SOF0: length 17, precision 8, height 0x01e0, width 0x0280.
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x01, 0xe0, 0x02, 0x80, 3,
    ]);
    expect(encodedImageSize(jpeg)).toEqual({ width: 640, height: 480 });
    expect(encodedImageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(encodedImageSize(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
  });
});
