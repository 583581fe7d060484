import { describe, expect, it } from "vitest";
import { type ShownView, lazyNeededEntities } from "./lazy-needed-entities.ts";

const INDEX = ["/", "/cam", "/cam/image", "/cam/depth", "/frame/id", "/points"];

function view(entities: string[], hidden: string[] = []): ShownView {
  return { entities, isEntityVisible: (e) => !hidden.includes(e) };
}

describe("lazyNeededEntities", () => {
  it("reads every entity outside the views mode", () => {
    expect(lazyNeededEntities(INDEX, new Set(INDEX), undefined)).toBeUndefined();
  });

  it("reads every entity not yet in the store, even with no view (the views are made from the store)", () => {
    expect(lazyNeededEntities(INDEX, new Set(["/"]), [])).toEqual([
      "/cam",
      "/cam/depth",
      "/cam/image",
      "/frame/id",
      "/points",
    ]);
  });

  it("reads the visible entities of the views on screen and their ancestors with data, not hidden ones", () => {
    const resident = new Set(INDEX);
    expect(lazyNeededEntities(INDEX, resident, [view(["/cam/image", "/cam/depth"], ["/cam/depth"])])).toEqual(
      ["/", "/cam", "/cam/image"],
    );
    // Hiding an ancestor hides its descendants (Rerun's `visible` propagates down).
    expect(lazyNeededEntities(INDEX, resident, [view(["/cam/image", "/frame/id"], ["/cam"])])).toEqual([
      "/",
      "/frame/id",
    ]);
    // An entity hidden in one view and shown in another is read.
    expect(
      lazyNeededEntities(INDEX, resident, [view(["/frame/id"], ["/frame/id"]), view(["/frame/id"])]),
    ).toEqual(["/", "/frame/id"]); // "/frame" has no data of its own
    expect(lazyNeededEntities(INDEX, resident, [])).toEqual([]);
  });

  it("reads an entity evicted whole again, so its view and tree row come back", () => {
    const resident = new Set(INDEX.filter((e) => e !== "/points"));
    expect(lazyNeededEntities(INDEX, resident, [view(["/frame/id"])])).toEqual(["/", "/frame/id", "/points"]);
  });
});
