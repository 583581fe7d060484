import {
  type Data,
  type DataType,
  Float32,
  Float64,
  makeData,
  Uint8,
  Uint16,
  Uint32,
  Utf8,
  Int64,
  Type,
} from "apache-arrow";
import type { ComponentType } from "../component-type.ts";
import { fixedSizeListOf, primitiveData } from "./arrow-builders.ts";

type NumericArrayCtor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor;

function numericType(name: string, arrowType: DataType, ctor: NumericArrayCtor): ComponentType<number> {
  return {
    name,
    arrowType,
    toArrow: (values) => primitiveData(arrowType, ctor.from(values), values.length),
    fromArrow: (data, index) => Number((data.values as ArrayLike<number>)[index]),
  };
}

export const float32Component = (name: string): ComponentType<number> =>
  numericType(name, new Float32(), Float32Array);
export const uint8Component = (name: string): ComponentType<number> =>
  numericType(name, new Uint8(), Uint8Array);
export const uint16Component = (name: string): ComponentType<number> =>
  numericType(name, new Uint16(), Uint16Array);
export const uint32Component = (name: string): ComponentType<number> =>
  numericType(name, new Uint32(), Uint32Array);

export function int64Component(name: string): ComponentType<bigint> {
  const arrowType = new Int64();
  return {
    name,
    arrowType,
    toArrow: (values) => primitiveData(arrowType, BigInt64Array.from(values), values.length),
    fromArrow: (data, index) => (data.values as BigInt64Array)[index]!,
  };
}

export function utf8Component(name: string): ComponentType<string> {
  const arrowType = new Utf8();
  return {
    name,
    arrowType,
    toArrow: (values) => {
      const encoder = new TextEncoder();
      const encoded = values.map((v) => encoder.encode(v));
      const offsets = new Int32Array(values.length + 1);
      encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
      const bytes = new Uint8Array(offsets[values.length]!);
      encoded.forEach((e, i) => bytes.set(e, offsets[i]!));
      return makeData({
        type: arrowType,
        length: values.length,
        nullCount: 0,
        valueOffsets: offsets,
        data: bytes,
      });
    },
    fromArrow: (data, index) => {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      return new TextDecoder().decode(bytes.subarray(offsets[index], offsets[index + 1]));
    },
  };
}

/** `FixedSizeList<item: Float32|Float64|UInt8 (non-null), size>` components such as Vec3D or Mat3x3. */
export function fixedSizeListComponent(
  name: string,
  element: "f32" | "f64" | "u8",
  size: number,
): ComponentType<readonly number[]> {
  const child = element === "f32" ? new Float32() : element === "f64" ? new Float64() : new Uint8();
  const ctor = element === "f32" ? Float32Array : element === "f64" ? Float64Array : Uint8Array;
  const arrowType = fixedSizeListOf(child, size);
  return {
    name,
    arrowType,
    toArrow: (values) => {
      const flat = new ctor(values.length * size);
      values.forEach((v, i) => {
        if (v.length !== size) {
          throw new RangeError(`${name} needs exactly ${size} numbers per instance, got ${v.length}`);
        }
        flat.set(v, i * size);
      });
      const childData = primitiveData(child, flat, flat.length);
      return makeData({ type: arrowType, length: values.length, nullCount: 0, child: childData });
    },
    fromArrow: (data: Data, index) => {
      const childData = data.children[0]!;
      const start = index * size;
      const values = childData.values as ArrayLike<number>;
      return Array.from({ length: size }, (_, k) => Number(values[start + k]));
    },
  };
}

export function isNumericArrowType(type: DataType): boolean {
  return type.typeId === Type.Int || type.typeId === Type.Float;
}
