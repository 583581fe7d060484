import { ChannelDatatype, type GpuImageFormat } from "./gpu-image-format.ts";

/** Which GLSL sampler type reads the texture: `sampler2D`, `usampler2D` or `isampler2D`. */
export type SamplerKind = "float" | "uint" | "int";

/** How an image's values are stored in a WebGL2 texture. */
export interface TextureFormat {
  readonly internalFormat: number;
  readonly format: number;
  readonly type: number;
  readonly samplerKind: SamplerKind;
  /** Raw value = fetched texel × `valueScale` (255 for U8 stored as UNORM, 1 otherwise). */
  readonly valueScale: number;
  /** Bytes per texel on the GPU (for stats). */
  readonly texelBytes: number;
}

/**
 * Texture format per datatype and channel count. Values stay in their native type: U8 → R8/RGB8/RGBA8 (UNORM),
 * I8 → R8I…, U16 → R16UI…, I16 → R16I…, U32 → R32UI…, I32 → R32I…, F16 → R16F… (HALF_FLOAT),
 * F32 → R32F…; U64/I64/F64 are converted once on the CPU to F32 (see `source-data.ts`). RGB stays 3-channel
 * (RGB8, RGB16UI, …: valid sampled formats in WebGL2) with UNPACK_ALIGNMENT 1, so nothing is padded.
 * Pixel formats: a single-channel R8UI data texture holding the raw bytes. Iris extensions: UYVY like the pixel
 * formats; Bayer mosaics R8UI / R16UI (raw samples, addressed by index like the data textures).
 */
export function textureFormatFor(gl: WebGL2RenderingContext, format: GpuImageFormat): TextureFormat {
  if (format.kind === "bayer") {
    // Iris extension: raw mosaic samples in their native unsigned type, demosaiced in the shader.
    const sixteen = format.bytesPerSample === 2;
    return {
      internalFormat: sixteen ? gl.R16UI : gl.R8UI,
      format: gl.RED_INTEGER,
      type: sixteen ? gl.UNSIGNED_SHORT : gl.UNSIGNED_BYTE,
      samplerKind: "uint",
      valueScale: 1,
      texelBytes: format.bytesPerSample,
    };
  }
  if (format.kind === "yuv") {
    return {
      internalFormat: gl.R8UI,
      format: gl.RED_INTEGER,
      type: gl.UNSIGNED_BYTE,
      samplerKind: "uint",
      valueScale: 1,
      texelBytes: 1,
    };
  }
  const c = format.channels;
  const pick = (one: number, three: number, four: number): number => (c === 1 ? one : c === 3 ? three : four);
  const floatFormat = pick(gl.RED, gl.RGB, gl.RGBA);
  const intFormat = pick(gl.RED_INTEGER, gl.RGB_INTEGER, gl.RGBA_INTEGER);
  const make = (
    internalFormat: number,
    type: number,
    samplerKind: SamplerKind,
    bytesPerChannel: number,
    valueScale = 1,
  ): TextureFormat => ({
    internalFormat,
    format: samplerKind === "float" ? floatFormat : intFormat,
    type,
    samplerKind,
    valueScale,
    texelBytes: bytesPerChannel * c,
  });
  switch (format.channelDatatype) {
    case ChannelDatatype.U8:
      return make(pick(gl.R8, gl.RGB8, gl.RGBA8), gl.UNSIGNED_BYTE, "float", 1, 255);
    case ChannelDatatype.I8:
      return make(pick(gl.R8I, gl.RGB8I, gl.RGBA8I), gl.BYTE, "int", 1);
    case ChannelDatatype.U16:
      return make(pick(gl.R16UI, gl.RGB16UI, gl.RGBA16UI), gl.UNSIGNED_SHORT, "uint", 2);
    case ChannelDatatype.I16:
      return make(pick(gl.R16I, gl.RGB16I, gl.RGBA16I), gl.SHORT, "int", 2);
    case ChannelDatatype.U32:
      return make(pick(gl.R32UI, gl.RGB32UI, gl.RGBA32UI), gl.UNSIGNED_INT, "uint", 4);
    case ChannelDatatype.I32:
      return make(pick(gl.R32I, gl.RGB32I, gl.RGBA32I), gl.INT, "int", 4);
    case ChannelDatatype.F16:
      return make(pick(gl.R16F, gl.RGB16F, gl.RGBA16F), gl.HALF_FLOAT, "float", 2);
    case ChannelDatatype.F32:
    case ChannelDatatype.U64:
    case ChannelDatatype.I64:
    case ChannelDatatype.F64:
      return make(pick(gl.R32F, gl.RGB32F, gl.RGBA32F), gl.FLOAT, "float", 4);
  }
}
