import { describe, expect, it } from "vitest";
import { LayoutStore, parseLayout } from "./layout-state.ts";
import { Visibility } from "./visibility.ts";

describe("visibility in the layout (Rerun keeps it in the blueprint)", () => {
  it("hides views and entities, undoably, and leaves no trace once everything is shown again", () => {
    const layout = new LayoutStore({ useUrl: false });
    layout.load("app");
    const visibility = new Visibility(layout);
    let changes = 0;
    visibility.on("change", () => changes++);

    visibility.setEntityVisible("/camera", "/camera/depth", false);
    visibility.setViewVisible("/world", false);
    expect(visibility.isEntityVisible("/camera", "/camera/depth")).toBe(false);
    expect(visibility.isEntityVisible("/other", "/camera/depth")).toBe(true); // per view
    expect(visibility.isViewVisible("/world")).toBe(false);
    expect(layout.state).toEqual({
      order: [],
      closed: [],
      added: [],
      hiddenViews: ["/world"],
      hiddenEntities: { "/camera": ["/camera/depth"] },
    });
    expect(changes).toBe(2);

    layout.undo(); // the view comes back
    expect(visibility.isViewVisible("/world")).toBe(true);
    expect(visibility.isEntityVisible("/camera", "/camera/depth")).toBe(false);
    layout.undo(); // and the entity
    expect(visibility.isEntityVisible("/camera", "/camera/depth")).toBe(true);
    expect(changes).toBe(4);
    layout.redo();
    expect(visibility.isEntityVisible("/camera", "/camera/depth")).toBe(false);

    visibility.setEntityVisible("/camera", "/camera/depth", true);
    expect(layout.state).toEqual({ order: [], closed: [], added: [] });
    // Setting what is already so is not a change (nothing to undo for it).
    const before = changes;
    visibility.setEntityVisible("/camera", "/camera/depth", true);
    expect(changes).toBe(before);
  });

  it("is reset with the layout (undoably)", () => {
    const layout = new LayoutStore({ useUrl: false });
    layout.load("app");
    layout.setViewHidden("/a", true);
    layout.reset();
    expect(layout.isViewHidden("/a")).toBe(false);
    layout.undo();
    expect(layout.isViewHidden("/a")).toBe(true);
  });

  it("is read back from a stored layout, ignoring what is not a list of paths", () => {
    expect(
      parseLayout(
        JSON.stringify({
          order: [],
          closed: [],
          added: [],
          hiddenViews: ["/a", 3],
          hiddenEntities: { "/v": ["/v/x", null], "/w": "not a list", "/u": [] },
        }),
      ),
    ).toEqual({ order: [], closed: [], added: [], hiddenViews: ["/a"], hiddenEntities: { "/v": ["/v/x"] } });
    // A layout stored before visibility was part of it.
    expect(parseLayout(JSON.stringify({ order: ["/a"], closed: [], added: [] }))).toEqual({
      order: ["/a"],
      closed: [],
      added: [],
    });
    expect(parseLayout(JSON.stringify({ order: [], closed: [], added: [], hiddenEntities: ["/x"] }))).toEqual(
      {
        order: [],
        closed: [],
        added: [],
      },
    );
  });
});
