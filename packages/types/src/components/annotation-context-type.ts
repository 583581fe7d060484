import { type Data, Field, List, makeData, Struct, Uint16, Uint32, Utf8 } from "apache-arrow";
import type { ComponentType } from "../component-type.ts";
import { isValidAt, listOf, primitiveData, validityBitmap } from "./arrow-builders.ts";

/** `rerun.datatypes.AnnotationInfo`: a class (or keypoint) id with an optional label and colour (0xRRGGBBAA). */
export interface AnnotationInfoValue {
  readonly id: number;
  readonly label?: string;
  readonly color?: number;
}

/** `rerun.datatypes.ClassDescription`. */
export interface ClassDescriptionValue {
  readonly info: AnnotationInfoValue;
  readonly keypointAnnotations: readonly AnnotationInfoValue[];
  readonly keypointConnections: readonly (readonly [number, number])[];
}

/** `rerun.datatypes.ClassDescriptionMapElem`. */
export interface ClassDescriptionMapElemValue {
  readonly classId: number;
  readonly classDescription: ClassDescriptionValue;
}

/** One AnnotationContext instance: the class map. */
export type AnnotationContextValue = readonly ClassDescriptionMapElemValue[];

// Exact nested types, rrd-format.md §5.3 (AnnotationContext): names, order and nullability matter.
export const annotationInfoArrowType = new Struct([
  new Field("id", new Uint16(), false),
  new Field("label", new Utf8(), true),
  new Field("color", new Uint32(), true),
]);
export const keypointPairArrowType = new Struct([
  new Field("keypoint0", new Uint16(), false),
  new Field("keypoint1", new Uint16(), false),
]);
export const classDescriptionArrowType = new Struct([
  new Field("info", annotationInfoArrowType, false),
  new Field("keypoint_annotations", listOf(annotationInfoArrowType, false), false),
  new Field("keypoint_connections", listOf(keypointPairArrowType, false), false),
]);
export const classDescriptionMapElemArrowType = new Struct([
  new Field("class_id", new Uint16(), false),
  new Field("class_description", classDescriptionArrowType, false),
]);
const annotationContextArrowType = listOf(classDescriptionMapElemArrowType, false);

function nullableUtf8(values: readonly (string | undefined)[]): Data {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => (v === undefined ? new Uint8Array(0) : encoder.encode(v)));
  const offsets = new Int32Array(values.length + 1);
  encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
  const bytes = new Uint8Array(offsets[values.length]!);
  encoded.forEach((e, i) => bytes.set(e, offsets[i]!));
  const { bitmap, nullCount } = validityBitmap(values.map((v) => v !== undefined));
  return makeData({
    type: new Utf8(),
    length: values.length,
    nullCount,
    valueOffsets: offsets,
    data: bytes,
    ...(bitmap ? { nullBitmap: bitmap } : {}),
  });
}

function annotationInfoData(infos: readonly AnnotationInfoValue[]): Data {
  const n = infos.length;
  const colors = infos.map((i) => i.color);
  return makeData({
    type: annotationInfoArrowType,
    length: n,
    nullCount: 0,
    children: [
      primitiveData(
        new Uint16(),
        Uint16Array.from(infos, (i) => i.id),
        n,
      ),
      nullableUtf8(infos.map((i) => i.label)),
      primitiveData(
        new Uint32(),
        Uint32Array.from(colors, (c) => c ?? 0),
        n,
        validityBitmap(colors.map((c) => c !== undefined)),
      ),
    ],
  });
}

function listData<T>(type: List, lists: readonly (readonly T[])[], child: (flat: T[]) => Data): Data {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (offsets[i + 1] = offsets[i]! + l.length));
  return makeData({
    type,
    length: lists.length,
    nullCount: 0,
    valueOffsets: offsets,
    child: child(lists.flat() as T[]),
  });
}

function keypointPairData(pairs: readonly (readonly [number, number])[]): Data {
  const n = pairs.length;
  return makeData({
    type: keypointPairArrowType,
    length: n,
    nullCount: 0,
    children: [
      primitiveData(
        new Uint16(),
        Uint16Array.from(pairs, (p) => p[0]),
        n,
      ),
      primitiveData(
        new Uint16(),
        Uint16Array.from(pairs, (p) => p[1]),
        n,
      ),
    ],
  });
}

function classDescriptionData(descs: readonly ClassDescriptionValue[]): Data {
  const [, annotationsField, connectionsField] = classDescriptionArrowType.children;
  return makeData({
    type: classDescriptionArrowType,
    length: descs.length,
    nullCount: 0,
    children: [
      annotationInfoData(descs.map((d) => d.info)),
      listData(
        annotationsField!.type as List,
        descs.map((d) => d.keypointAnnotations),
        annotationInfoData,
      ),
      listData(
        connectionsField!.type as List,
        descs.map((d) => d.keypointConnections),
        keypointPairData,
      ),
    ],
  });
}

function mapElemData(elems: readonly ClassDescriptionMapElemValue[]): Data {
  return makeData({
    type: classDescriptionMapElemArrowType,
    length: elems.length,
    nullCount: 0,
    children: [
      primitiveData(
        new Uint16(),
        Uint16Array.from(elems, (e) => e.classId),
        elems.length,
      ),
      classDescriptionData(elems.map((e) => e.classDescription)),
    ],
  });
}

function readUtf8(data: Data, i: number): string | undefined {
  if (!isValidAt(data, i)) return undefined;
  const offsets = data.valueOffsets as Int32Array;
  return new TextDecoder().decode((data.values as Uint8Array).subarray(offsets[i], offsets[i + 1]));
}

function readAnnotationInfo(data: Data, i: number): AnnotationInfoValue {
  const [id, label, color] = data.children as Data[];
  const out: { id: number; label?: string; color?: number } = { id: (id!.values as Uint16Array)[i]! };
  const l = readUtf8(label!, i);
  if (l !== undefined) out.label = l;
  if (isValidAt(color!, i)) out.color = (color!.values as Uint32Array)[i]!;
  return out;
}

function listRange(data: Data, i: number): [number, number] {
  const offsets = data.valueOffsets as Int32Array;
  return [offsets[i]!, offsets[i + 1]!];
}

function readClassDescription(data: Data, i: number): ClassDescriptionValue {
  const [info, annotations, connections] = data.children as Data[];
  const [a0, a1] = listRange(annotations!, i);
  const [c0, c1] = listRange(connections!, i);
  const pairs = connections!.children[0]!;
  const [k0, k1] = pairs.children as Data[];
  const keypointConnections: [number, number][] = [];
  for (let k = c0; k < c1; k++) {
    keypointConnections.push([(k0!.values as Uint16Array)[k]!, (k1!.values as Uint16Array)[k]!]);
  }
  const keypointAnnotations: AnnotationInfoValue[] = [];
  for (let k = a0; k < a1; k++) keypointAnnotations.push(readAnnotationInfo(annotations!.children[0]!, k));
  return { info: readAnnotationInfo(info!, i), keypointAnnotations, keypointConnections };
}

/**
 * `rerun.components.AnnotationContext`: `List<item: ClassDescriptionMapElem non-null>` (the component's own
 * datatype is a list, so the column is a list of lists). Empty keypoint lists are written as empty lists.
 */
export const AnnotationContextType: ComponentType<AnnotationContextValue> = {
  name: "rerun.components.AnnotationContext",
  arrowType: annotationContextArrowType,
  toArrow: (values) => listData(annotationContextArrowType, values, mapElemData),
  fromArrow(data, index) {
    const [start, end] = listRange(data, index);
    const elems = data.children[0]!;
    const [classId, description] = elems.children as Data[];
    const out: ClassDescriptionMapElemValue[] = [];
    for (let k = start; k < end; k++) {
      out.push({
        classId: (classId!.values as Uint16Array)[k]!,
        classDescription: readClassDescription(description!, k),
      });
    }
    return out;
  },
};
