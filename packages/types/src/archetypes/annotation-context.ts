import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import {
  type AnnotationContextValue,
  type AnnotationInfoValue,
  AnnotationContextType,
  type ClassDescriptionMapElemValue,
} from "../components/annotation-context-type.ts";
import { descriptor } from "./archetype-descriptors.ts";
import { ArchetypeError, type ColorLike, describeValue, packColor } from "./archetype-values.ts";

export const AnnotationContextDescriptors = {
  context: descriptor("AnnotationContext", "context", "AnnotationContext"),
} as const;

/** A class (or keypoint) label and colour. */
export interface AnnotationInfoLike {
  id: number;
  label?: string;
  color?: ColorLike;
}

/** A class: its info, plus optional keypoint labels/colours and skeleton edges. */
export interface ClassDescriptionLike extends AnnotationInfoLike {
  keypointAnnotations?: readonly AnnotationInfoLike[];
  keypointConnections?: readonly (readonly [number, number])[];
}

/** `{ id, label?, color? }` or Rerun's tuple shorthand `[id, label, color?]`. */
export type ClassLike = ClassDescriptionLike | readonly [number, string, ColorLike?];

function u16(context: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffff) {
    throw new ArchetypeError(
      "invalid-value",
      `${context} must be an integer 0..65535, got ${describeValue(v)}`,
      {
        expected: "integer 0..65535",
        actual: describeValue(v),
      },
    );
  }
  return v;
}

function info(context: string, x: AnnotationInfoLike): AnnotationInfoValue {
  if (x === null || typeof x !== "object") {
    throw new ArchetypeError(
      "invalid-value",
      `${context} must be { id, label?, color? }, got ${describeValue(x)}`,
      {
        expected: "{ id, label?, color? }",
        actual: describeValue(x),
      },
    );
  }
  const out: { id: number; label?: string; color?: number } = { id: u16(`${context} id`, x.id) };
  if (x.label !== undefined) {
    if (typeof x.label !== "string") {
      throw new ArchetypeError(
        "invalid-value",
        `${context} label must be a string, got ${describeValue(x.label)}`,
        {
          expected: "string",
          actual: describeValue(x.label),
        },
      );
    }
    out.label = x.label;
  }
  if (x.color !== undefined) out.color = packColor(`${context} color`, x.color);
  return out;
}

function normalise(c: ClassLike, i: number): ClassDescriptionMapElemValue {
  const context = `AnnotationContext class #${i}`;
  const d: ClassDescriptionLike = Array.isArray(c)
    ? {
        id: c[0] as number,
        label: c[1] as string,
        ...(c[2] === undefined ? {} : { color: c[2] as ColorLike }),
      }
    : (c as ClassDescriptionLike);
  const classInfo = info(context, d);
  const keypointAnnotations = (d.keypointAnnotations ?? []).map((k, j) =>
    info(`${context} keypoint #${j}`, k),
  );
  const keypointConnections = (d.keypointConnections ?? []).map((p, j) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new ArchetypeError(
        "wrong-length",
        `${context} keypoint connection #${j} must be a pair [a, b], got ${describeValue(p)}`,
        { expected: 2, actual: Array.isArray(p) ? p.length : describeValue(p) },
      );
    }
    return [
      u16(`${context} keypoint connection #${j}`, p[0]),
      u16(`${context} keypoint connection #${j}`, p[1]),
    ] as const;
  });
  return {
    classId: classInfo.id,
    classDescription: { info: classInfo, keypointAnnotations, keypointConnections },
  };
}

/**
 * Rerun's AnnotationContext archetype: class id → label and colour, used to colour SegmentationImage pixels (and
 * label class ids of other archetypes). Applies to its entity and all descendants; normally logged static.
 */
export class AnnotationContext implements AsComponents {
  readonly classes: AnnotationContextValue;

  constructor(classes: Iterable<ClassLike>) {
    if (classes === null || typeof classes !== "object" || !(Symbol.iterator in classes)) {
      throw new ArchetypeError(
        "invalid-value",
        `AnnotationContext needs a list of classes, got ${describeValue(classes)}`,
        {
          expected: "iterable of { id, label?, color? } or [id, label, color]",
          actual: describeValue(classes),
        },
      );
    }
    const list = [...classes].map(normalise);
    const seen = new Set<number>();
    for (const c of list) {
      if (seen.has(c.classId)) {
        throw new ArchetypeError("duplicate-id", `AnnotationContext has class id ${c.classId} twice`, {
          expected: "unique class ids",
          actual: c.classId,
        });
      }
      seen.add(c.classId);
    }
    this.classes = list;
  }

  asComponentBatches(): readonly ComponentBatch[] {
    return [batch(AnnotationContextDescriptors.context, AnnotationContextType, [this.classes])];
  }
}
