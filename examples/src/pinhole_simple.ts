// Rerun snippet archetypes/pinhole_simple: a pinhole camera (focal length 3 px, 3×3 px) and a random 3×3 RGB
// image on the same entity. Python draws the pixels with numpy's default_rng(12345); here a seeded PRNG gives a
// fixed random image (same shape and role, different values).
import { Image, Pinhole } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

/** mulberry32: a small deterministic PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 3×3 RGB pixels the example logs. */
export function pinholeSimplePixels(): Uint8Array {
  const random = seededRandom(12345);
  return Uint8Array.from({ length: 3 * 3 * 3 }, () => Math.floor(random() * 256));
}

export const pinholeSimple: Example = {
  name: "pinhole_simple",
  applicationId: "rerun_example_pinhole",
  run(rec) {
    rec.log("world/image", Pinhole.fromFocalLength({ focalLength: 3, width: 3, height: 3 }));
    rec.log("world/image", new Image(pinholeSimplePixels(), { width: 3, height: 3, colorModel: "RGB" }));
  },
};

await runIfMain(import.meta.url, pinholeSimple);
