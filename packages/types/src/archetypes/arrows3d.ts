import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import { fixedSizeListComponent } from "../components/primitive-types.ts";
import { ColorType } from "../components/spatial-types.ts";
import { descriptor } from "./archetype-descriptors.ts";
import { ArchetypeError, type ColorLike, packColor, vector } from "./archetype-values.ts";

export const Arrows3DDescriptors = {
  vectors: descriptor("Arrows3D", "vectors", "Vector3D"),
  origins: descriptor("Arrows3D", "origins", "Position3D"),
  colors: descriptor("Arrows3D", "colors", "Color"),
} as const;

/** `rerun.components.Vector3D`: Vec3D = `FSL(3, Float32)`. */
export const Vector3DType = fixedSizeListComponent("rerun.components.Vector3D", "f32", 3);
/** `rerun.components.Position3D`: Vec3D = `FSL(3, Float32)`. */
export const Position3DType = fixedSizeListComponent("rerun.components.Position3D", "f32", 3);

/**
 * A minimal Rerun Arrows3D archetype (vectors, origins, colours), enough to show Transform3D in the 3D view as
 * Rerun's transform3d_simple snippet does.
 */
export class Arrows3D implements AsComponents {
  readonly vectors: readonly (readonly number[])[];
  readonly origins: readonly (readonly number[])[] | undefined;
  readonly colors: readonly number[] | undefined;

  constructor(options: {
    vectors: readonly (readonly [number, number, number])[];
    origins?: readonly (readonly [number, number, number])[];
    colors?: readonly ColorLike[];
  }) {
    this.vectors = options.vectors.map((v, i) => vector(`Arrows3D vectors[${i}]`, v, 3));
    this.origins = options.origins?.map((v, i) => vector(`Arrows3D origins[${i}]`, v, 3));
    this.colors = options.colors?.map((c, i) => packColor(`Arrows3D colors[${i}]`, c));
    for (const [name, list] of [
      ["origins", this.origins],
      ["colors", this.colors],
    ] as const) {
      if (list !== undefined && list.length !== this.vectors.length && list.length !== 1) {
        throw new ArchetypeError(
          "wrong-length",
          `Arrows3D has ${this.vectors.length} vectors but ${list.length} ${name}`,
          { expected: `1 or ${this.vectors.length}`, actual: list.length },
        );
      }
    }
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const out: ComponentBatch[] = [batch(Arrows3DDescriptors.vectors, Vector3DType, this.vectors)];
    if (this.origins) out.push(batch(Arrows3DDescriptors.origins, Position3DType, this.origins));
    if (this.colors) out.push(batch(Arrows3DDescriptors.colors, ColorType, this.colors));
    return out;
  }
}
