// Rerun snippet archetypes/transform3d_simple: the arrow (0,0,0)→(0,1,0) at "base", again under a translation
// of [1, 0, 0] ("base/translated"), and again rotated 45° about +Z and scaled ×2 ("base/rotated_scaled").
import { Arrows3D, Transform3D } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const transform3dSimple: Example = {
  name: "transform3d_simple",
  applicationId: "rerun_example_transform3d",
  run(rec) {
    const arrow = new Arrows3D({ origins: [[0, 0, 0]], vectors: [[0, 1, 0]] });
    rec.log("base", arrow);
    rec.log("base/translated", new Transform3D({ translation: [1, 0, 0] }));
    rec.log("base/translated", arrow);
    rec.log(
      "base/rotated_scaled",
      new Transform3D({ rotation: { axis: [0, 0, 1], angle: Math.PI / 4 }, scale: 2 }),
    );
    rec.log("base/rotated_scaled", arrow);
  },
};

await runIfMain(import.meta.url, transform3dSimple);
