/** What went wrong in the renderer; a stable, machine-readable tag. */
export type RendererErrorKind =
  /** Width/height not a positive integer, unknown enum value, or pixelFormat mixed with colorModel/datatype. */
  | "invalid-format"
  /** The byte buffer does not have exactly the size the format needs. */
  | "size-mismatch"
  /** The image cannot be stored in textures of this device (even with tiling / linear packing). */
  | "too-large"
  /** A draw option is invalid (value range, opacity, placement matrix, colormap name…). */
  | "invalid-option"
  /** A GLSL shader did not compile or a program did not link. */
  | "shader-compile"
  /** WebGL refused to create a resource (lost context, out of memory). */
  | "webgl-error"
  /** Two images that compare mode cannot take the difference of (sizes, channels or value kinds differ). */
  | "incompatible-images"
  /** The device lacks a WebGL2 extension a feature needs (e.g. EXT_color_buffer_float for compare mode). */
  | "unsupported"
  /** A destroyed resource was used. */
  | "destroyed";

/** Typed error of `@iris/renderer` (the renderer is a leaf package, so it does not derive from `IrisError`). */
export class RendererError extends Error {
  readonly kind: RendererErrorKind;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(
    kind: RendererErrorKind,
    message: string,
    details: { expected?: string; actual?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.expected = details.expected;
    this.actual = details.actual;
    this.name = new.target.name;
  }
}
