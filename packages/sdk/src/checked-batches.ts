import { type ComponentBatch, ImageFormatError, type ImageFormat, validateImageBuffer } from "@iris/types";
import { SdkError } from "./sdk-error.ts";

const IMAGE_BUFFER = "rerun.components.ImageBuffer";
const IMAGE_FORMAT = "rerun.components.ImageFormat";

type View = ArrayBufferView & { slice?: () => ArrayBufferView };

/**
 * Checks one row's component batches at `log`/`sendColumns` time, before anything reaches the batcher, and
 * returns the batches to store. Throws a typed error (and changes nothing) for:
 * - a batch that is not `{ descriptor, type, values: dense array }` (`SdkError` "invalid-component");
 * - a typed array whose ArrayBuffer is detached (transferred to a worker, `structuredClone` with `transfer`)
 *   (`SdkError` "detached-buffer");
 * - an image whose buffer no longer has the size its format needs, e.g. its resizable ArrayBuffer was shrunk
 *   after the `Image` was built (`ImageFormatError` "size-mismatch").
 * Typed arrays on a SharedArrayBuffer (another thread may change them) or a resizable ArrayBuffer (it may shrink
 * under the row) are copied here, once, so the row holds a snapshot taken at `log` time.
 */
export function checkedBatches(where: string, batches: readonly unknown[]): ComponentBatch[] {
  if (!Array.isArray(batches)) {
    throw new SdkError(
      "invalid-component",
      `${where}: component batches must be an array, got ${describe(batches)}`,
    );
  }
  const out: ComponentBatch[] = [];
  let buffer: Uint8Array | undefined;
  let format: ImageFormat | undefined;
  for (let i = 0; i < batches.length; i++) {
    const b = i in batches ? (batches[i] as Partial<ComponentBatch> | null) : undefined;
    const ok =
      typeof b === "object" &&
      b !== null &&
      typeof b.descriptor?.component === "string" &&
      typeof b.type === "object" &&
      b.type !== null &&
      typeof b.type.toArrow === "function";
    if (!ok) {
      throw new SdkError(
        "invalid-component",
        `${where}: batch ${i} is ${describe(b)}, expected a ComponentBatch { descriptor, type, values }`,
      );
    }
    const component = b.descriptor!.component;
    const values = checkedValues(`${where}: ${component}`, b.values);
    const batch =
      values === b.values ? (b as ComponentBatch) : { descriptor: b.descriptor!, type: b.type!, values };
    out.push(batch);
    if (batch.type.name === IMAGE_BUFFER && values.length === 1 && values[0] instanceof Uint8Array) {
      buffer = values[0];
    }
    if (batch.type.name === IMAGE_FORMAT && values.length === 1) format = values[0] as ImageFormat;
  }
  if (buffer !== undefined && format !== undefined) {
    try {
      validateImageBuffer(buffer, format);
    } catch (error) {
      if (!(error instanceof ImageFormatError)) throw error;
      throw new ImageFormatError(
        error.kind,
        `${where}: ${error.message} (was the image's ArrayBuffer resized after the Image was built?)`,
        {
          ...(error.expected !== undefined ? { expected: error.expected } : {}),
          ...(error.actual !== undefined ? { actual: error.actual } : {}),
        },
      );
    }
  }
  return out;
}

/** The values of one batch: a dense array, with shared/resizable typed arrays copied; throws on holes. */
function checkedValues(where: string, values: unknown): readonly unknown[] {
  if (!Array.isArray(values)) {
    throw new SdkError("invalid-component", `${where}: values must be an array, got ${describe(values)}`);
  }
  let copy: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    if (!(i in values) || values[i] === undefined || values[i] === null) {
      throw new SdkError(
        "invalid-component",
        `${where}: value ${i} of ${values.length} is ${i in values ? String(values[i]) : "a hole (sparse array)"}, expected a component value`,
      );
    }
    const v: unknown = values[i];
    if (!ArrayBuffer.isView(v)) continue;
    if (isDetached(v.buffer)) {
      throw new SdkError(
        "detached-buffer",
        `${where}: value ${i} is a ${describe(v)} whose ArrayBuffer is detached (transferred); log a live array`,
      );
    }
    if (mayChange(v.buffer) && typeof (v as View).slice === "function") {
      copy ??= values.slice();
      try {
        copy[i] = (v as View).slice!();
      } catch (cause) {
        // A fixed-length view past the end of a resizable ArrayBuffer that was shrunk.
        throw new SdkError(
          "resized-buffer",
          `${where}: value ${i} is a ${describe(v)} outside its resizable ArrayBuffer (resized to ${v.buffer.byteLength} bytes)`,
          { cause },
        );
      }
    }
  }
  return copy ?? values;
}

/** A detached ArrayBuffer has byteLength 0 and cannot be viewed (`ArrayBuffer.prototype.detached` is newer). */
export function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === "boolean") return flag;
  if (buffer.byteLength !== 0 || !(buffer instanceof ArrayBuffer)) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Buffers whose contents or size can change after `log` without the caller touching the view. */
function mayChange(buffer: ArrayBufferLike): boolean {
  if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return true;
  return (buffer as { resizable?: unknown }).resizable === true;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
