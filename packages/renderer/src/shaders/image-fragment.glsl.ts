/**
 * Fragment shader of image tiles, specialised per format with #defines (see `ImageProgramKey`):
 *
 * - SAMPLER_FLOAT / SAMPLER_UINT / SAMPLER_INT: which sampler type reads the texture (always via texelFetch);
 * - CHANNELS 1 | 3 | 4, SWIZZLE_BGR: channel layout of colour-model images;
 * - YUV_LAYOUT 1…6 (+ YUV_LIMITED, YUV_BT601): pixel-format images, decoded from the raw-byte data texture;
 *   YUV_LAYOUT 7 is the Iris extension UYVY (`U0 Y0 V0 Y1`);
 * - BAYER (+ BAYER_RX, BAYER_RY: position of red in the 2×2 tile): Iris extension Bayer mosaics, demosaiced
 *   bilinearly from the raw-sample data texture with mirrored (reflect-101) edges, then range-normalised per
 *   colour like an L image — the rules of `decodeIrisLayoutToRgba8` in @iris/types; with BAYER_CLAMP (Rerun
 *   0.41's Bayer PixelFormats) each missing colour is instead the mean of that colour's samples in the 3×3 window
 *   clipped to the image, as Rerun's `bayer_converter.wgsl` and `decodeImageToRgba8` in @iris/types, and the
 *   result is linear colour (sRGB-encoded for display, as Rerun 0.41 shows them).
 *
 * Per texel: raw value → t = clamp((raw − lo)/(hi − lo), 0, 1) (non-finite → 1; an sRGB colour texel with a
 * non-finite r, g or b → error magenta, as Rerun) → BGR swap; or YUV → RGB with
 * Rerun's coefficients (limited: y=(Y−16)/219, u=(U−128)/224, v=(V−128)/224; full: Y/255, (U−128)/255;
 * BT.601 r=y+1.402v, g=y−0.344u−0.714v, b=y+1.772u; BT.709 r=y+1.575v, g=y−0.187u−0.468v, b=y+1.856u;
 * clamped to [0, 1]). Nearest magnification fetches one texel; linear blends the 2×2 decoded texels in
 * premultiplied space (decode first, then filter, as Rerun does). Single-channel images then go through the
 * colormap lookup texture when one is enabled; colour images whose values are linear (`u_linearColor`, data
 * outside [0, 255]: Rerun's sRGB heuristic) are sRGB-encoded; last comes opacity.
 *
 * The image's value range, colormap, filter and opacity are uniforms: changing them never re-uploads.
 *
 * VALUES_OUTPUT (compare mode, `ImageRenderer.drawValues`): the same decoders write the DECODED VALUES instead of
 * colours, into a float target, one texel per image pixel (nearest): raw values for colour-model images (BGR
 * swapped, U8 rounded to integers, 64-bit types plus their `u_valueOffset`), YUV → RGB as 8-bit integers
 * (round(255·rgb): what an 8-bit display shows), Bayer demosaiced in raw units; no range, clamp or colormap; alpha
 * is `u_opaqueValue` unless the image has an alpha channel.
 */
export interface ImageProgramKey {
  readonly samplerKind: "float" | "uint" | "int";
  /** 1, 3 or 4 for colour-model images; 0 for pixel formats. */
  readonly channels: 0 | 1 | 3 | 4;
  readonly swizzleBgr: boolean;
  /** `YuvLayout` value, 0 for colour-model images. */
  readonly yuvLayout: number;
  readonly yuvLimitedRange: boolean;
  readonly yuvBt601: boolean;
  /** Iris extension Bayer: 1 + redX + 2·redY; 0 for everything else. */
  readonly bayer?: number;
  /** Rerun 0.41's Bayer PixelFormats: neighbours outside the image are left out (not mirrored). */
  readonly bayerClamp?: boolean;
  /** Write decoded values (compare mode) instead of colours. */
  readonly valuesOutput?: boolean;
}

export function programKeyString(key: ImageProgramKey): string {
  return [
    key.samplerKind,
    key.channels,
    key.swizzleBgr ? "bgr" : "rgb",
    key.yuvLayout,
    key.yuvLimitedRange ? "limited" : "full",
    key.yuvBt601 ? "601" : "709",
    `bayer${key.bayer ?? 0}${key.bayerClamp === true ? "c" : ""}`,
    key.valuesOutput === true ? "values" : "colour",
  ].join("/");
}

function definesOf(key: ImageProgramKey): string {
  const lines: string[] = [];
  lines.push(`#define SAMPLER_${key.samplerKind.toUpperCase()} 1`);
  if (key.valuesOutput === true) lines.push("#define VALUES_OUTPUT 1");
  if (key.bayer !== undefined && key.bayer !== 0) {
    lines.push("#define BAYER 1");
    lines.push(`#define BAYER_RX ${(key.bayer - 1) & 1}`);
    lines.push(`#define BAYER_RY ${((key.bayer - 1) >> 1) & 1}`);
    if (key.bayerClamp === true) lines.push("#define BAYER_CLAMP 1");
    lines.push("#define CHANNELS 3");
  } else if (key.yuvLayout !== 0) {
    lines.push(`#define YUV_LAYOUT ${key.yuvLayout}`);
    if (key.yuvLimitedRange) lines.push("#define YUV_LIMITED 1");
    if (key.yuvBt601) lines.push("#define YUV_BT601 1");
    lines.push("#define CHANNELS 0");
  } else {
    lines.push(`#define CHANNELS ${key.channels}`);
    if (key.swizzleBgr) lines.push("#define SWIZZLE_BGR 1");
  }
  return lines.join("\n");
}

const body = `
#if defined(SAMPLER_UINT)
uniform highp usampler2D u_texture;
uniform uint u_rangeLoInt;
#elif defined(SAMPLER_INT)
uniform highp isampler2D u_texture;
uniform int u_rangeLoInt;
#else
uniform highp sampler2D u_texture;
#endif

uniform ivec2 u_imageSize;
uniform ivec2 u_textureOrigin;
uniform ivec2 u_textureSize;
// Row width of the pixel-format data texture (bytes are addressed by index).
uniform int u_dataWidth;
// Bytes of pixel-format data (reads past it return 0).
uniform int u_dataSize;
// Float textures: raw = texel * u_valueScale, t = (raw - u_rangeLo) * u_rangeScale.
// Integer textures: t = ((raw - u_rangeLoInt) - u_rangeLoFrac) * u_rangeScale, the difference taken in
// integer arithmetic so that narrow ranges at large magnitudes keep their precision.
uniform float u_valueScale;
uniform float u_rangeLo;
uniform float u_rangeLoFrac;
uniform float u_rangeScale;
uniform bool u_linear;
uniform bool u_useColormap;
uniform highp sampler2D u_colormap;
uniform float u_opacity;
uniform bool u_linearColor;
uniform bool u_linearOutput;
uniform bool u_premultiplyOutput;
// VALUES_OUTPUT: alpha of images without an alpha channel, and the offset of 64-bit types' stored values.
uniform float u_opaqueValue;
uniform float u_valueOffset;

in vec2 v_imagePos;
out vec4 o_color;

float saturateOrZero(float t) {
#if defined(VALUES_OUTPUT)
  return t;
#endif
  // NaN compares false: NaN -> 0 (as the CPU reference); +Inf -> 1, -Inf -> 0.
  return t >= 0.0 ? min(t, 1.0) : 0.0;
}

#if defined(YUV_LAYOUT)

// Byte at index; 0 past the end of the data (as Rerun's viewer reads out-of-bounds texels).
float dataByte(int index) {
  if (index >= u_dataSize) return 0.0;
  return float(texelFetch(u_texture, ivec2(index % u_dataWidth, index / u_dataWidth), 0).r);
}

// Offset of chroma sample (cx, cy) in a planar chroma plane: two chroma rows per w-byte row (Rerun's addressing).
int chromaOffset(int w, int cx, int cy) {
  return (cy / 2) * w + (cy % 2) * (w / 2) + cx;
}

// [Y, U, V] of pixel g, as @iris/types pixel-reader.ts (Rerun's viewer addressing; the V plane starts where the
// U plane ends; samples outside their row or the data read 0).
vec3 sampleYuv(ivec2 g) {
  int w = u_imageSize.x;
  int h = u_imageSize.y;
  int n = w * h;
  int yIndex = g.y * w + g.x;
#if YUV_LAYOUT == 1
  return vec3(dataByte(yIndex), dataByte(n + yIndex), dataByte(2 * n + yIndex));
#elif YUV_LAYOUT == 2 || YUV_LAYOUT == 3
#if YUV_LAYOUT == 3
  int rows = h / 2;
  int cy = g.y / 2;
#else
  int rows = h;
  int cy = g.y;
#endif
  int c = chromaOffset(w, g.x / 2, cy);
  int vStart = n + chromaOffset(w, 0, rows);
  return vec3(dataByte(yIndex), dataByte(n + c), dataByte(vStart + c));
#elif YUV_LAYOUT == 4
  int col = 2 * (g.x / 2);
  int row = n + (g.y / 2) * w;
  return vec3(dataByte(yIndex), dataByte(row + col), col + 1 < w ? dataByte(row + col + 1) : 0.0);
#elif YUV_LAYOUT == 5
  int rowStart = 2 * g.y * w;
  int pair = 2 * (g.x - g.x % 2);
  float u = pair + 1 < 2 * w ? dataByte(rowStart + pair + 1) : 0.0;
  float v = pair + 3 < 2 * w ? dataByte(rowStart + pair + 3) : 0.0;
  return vec3(dataByte(2 * yIndex), u, v);
#elif YUV_LAYOUT == 7
  // Iris extension UYVY (even width): U0 Y0 V0 Y1 per pixel pair.
  int base = 2 * (yIndex - g.x % 2);
  return vec3(dataByte(2 * yIndex + 1), dataByte(base), dataByte(base + 2));
#else
  return vec3(dataByte(yIndex), 128.0, 128.0);
#endif
}

vec3 rgbFromYuv(vec3 yuv) {
#if defined(YUV_LIMITED)
  float y = (yuv.x - 16.0) / 219.0;
  float u = (yuv.y - 128.0) / 224.0;
  float v = (yuv.z - 128.0) / 224.0;
#else
  float y = yuv.x / 255.0;
  float u = (yuv.y - 128.0) / 255.0;
  float v = (yuv.z - 128.0) / 255.0;
#endif
#if defined(YUV_BT601)
  vec3 rgb = vec3(y + 1.402 * v, y - 0.344 * u - 0.714 * v, y + 1.772 * u);
#else
  vec3 rgb = vec3(y + 1.575 * v, y - 0.187 * u - 0.468 * v, y + 1.856 * u);
#endif
  return clamp(rgb, 0.0, 1.0);
}

vec4 decodeTexel(ivec2 g) {
#if defined(VALUES_OUTPUT)
  return vec4(floor(rgbFromYuv(sampleYuv(g)) * 255.0 + 0.5), 1.0);
#else
  return vec4(rgbFromYuv(sampleYuv(g)), 1.0);
#endif
}

#elif defined(BAYER) && defined(BAYER_CLAMP)

float bayerRaw(int x, int y) {
  int index = y * u_imageSize.x + x;
  return float(texelFetch(u_texture, ivec2(index % u_dataWidth, index / u_dataWidth), 0).r);
}

// 0 red, 1 green, 2 blue.
int bayerChannel(int x, int y) {
  int px = x & 1;
  int py = y & 1;
  if (px == BAYER_RX && py == BAYER_RY) return 0;
  if (px != BAYER_RX && py != BAYER_RY) return 2;
  return 1;
}

// Rerun's demosaic: own colour as is; every other colour = mean of its samples among the 8 neighbours inside
// the image (0 when there is none).
vec4 decodeTexel(ivec2 g) {
  int own = bayerChannel(g.x, g.y);
  vec3 sums = vec3(0.0);
  vec3 counts = vec3(0.0);
  for (int dy = -1; dy <= 1; dy++) {
    for (int dx = -1; dx <= 1; dx++) {
      int x = g.x + dx;
      int y = g.y + dy;
      if (x < 0 || y < 0 || x >= u_imageSize.x || y >= u_imageSize.y) continue;
      int c = bayerChannel(x, y);
      if (c == own) continue;
      float v = bayerRaw(x, y);
      if (c == 0) { sums.r += v; counts.r += 1.0; }
      else if (c == 1) { sums.g += v; counts.g += 1.0; }
      else { sums.b += v; counts.b += 1.0; }
    }
  }
  vec3 rgb = sums / max(counts, vec3(1.0));
  float centre = bayerRaw(g.x, g.y);
  if (own == 0) rgb.r = centre;
  else if (own == 1) rgb.g = centre;
  else rgb.b = centre;
  vec3 t = (rgb - u_rangeLo) * u_rangeScale;
  return vec4(saturateOrZero(t.r), saturateOrZero(t.g), saturateOrZero(t.b), 1.0);
}

#elif defined(BAYER)

// Raw sample at (x, y) with mirrored edges (reflect-101: -1 -> 1, w -> w - 2; keeps the filter colour).
float bayerSample(int x, int y) {
  int w = u_imageSize.x;
  int h = u_imageSize.y;
  x = x < 0 ? -x : (x >= w ? 2 * w - 2 - x : x);
  y = y < 0 ? -y : (y >= h ? 2 * h - 2 - y : y);
  int index = y * w + x;
  return float(texelFetch(u_texture, ivec2(index % u_dataWidth, index / u_dataWidth), 0).r);
}

float bayerNormalized(float v) {
  return saturateOrZero((v - u_rangeLo) * u_rangeScale);
}

// Bilinear demosaic: own colour as is; G at R/B = mean of 4 orthogonal; B at R / R at B = mean of 4 diagonal;
// at G: the row's other colour = mean of left/right, the third = mean of up/down.
vec4 decodeTexel(ivec2 g) {
  int x = g.x;
  int y = g.y;
  float centre = bayerSample(x, y);
  float left = bayerSample(x - 1, y);
  float right = bayerSample(x + 1, y);
  float up = bayerSample(x, y - 1);
  float down = bayerSample(x, y + 1);
  float cross = (left + right + up + down) * 0.25;
  float diagonal = (bayerSample(x - 1, y - 1) + bayerSample(x + 1, y - 1) + bayerSample(x - 1, y + 1) +
                    bayerSample(x + 1, y + 1)) * 0.25;
  float horizontal = (left + right) * 0.5;
  float vertical = (up + down) * 0.5;
  int px = x & 1;
  int py = y & 1;
  vec3 rgb;
  if (px == BAYER_RX && py == BAYER_RY) {
    rgb = vec3(centre, cross, diagonal);
  } else if (px != BAYER_RX && py != BAYER_RY) {
    rgb = vec3(diagonal, cross, centre);
  } else if (py == BAYER_RY) {
    rgb = vec3(horizontal, centre, vertical);
  } else {
    rgb = vec3(vertical, centre, horizontal);
  }
  return vec4(bayerNormalized(rgb.r), bayerNormalized(rgb.g), bayerNormalized(rgb.b), 1.0);
}

#else

#if defined(SAMPLER_UINT)
float normalized(uint raw) {
  float difference = raw >= u_rangeLoInt ? float(raw - u_rangeLoInt) : -float(u_rangeLoInt - raw);
  return saturateOrZero((difference - u_rangeLoFrac) * u_rangeScale);
}
vec4 normalizedTexel(ivec2 p) {
  uvec4 raw = texelFetch(u_texture, p, 0);
  return vec4(normalized(raw.r), normalized(raw.g), normalized(raw.b), normalized(raw.a));
}
#elif defined(SAMPLER_INT)
float normalized(int raw) {
  float difference = raw >= u_rangeLoInt ? float(uint(raw) - uint(u_rangeLoInt))
                                         : -float(uint(u_rangeLoInt) - uint(raw));
  return saturateOrZero((difference - u_rangeLoFrac) * u_rangeScale);
}
vec4 normalizedTexel(ivec2 p) {
  ivec4 raw = texelFetch(u_texture, p, 0);
  return vec4(normalized(raw.r), normalized(raw.g), normalized(raw.b), normalized(raw.a));
}
#else
// Whether the last fetched texel had a non-finite r, g or b (Rerun's error colour for sRGB colour images).
bool g_nonFiniteRgb = false;

// Non-finite values (NaN, ±Inf) show as the top of the range, as in Rerun's viewer.
float normalizedFloat(float raw) {
#if defined(VALUES_OUTPUT)
  return raw;
#endif
  return isnan(raw) || isinf(raw) ? 1.0 : saturateOrZero((raw - u_rangeLo) * u_rangeScale);
}

vec4 normalizedTexel(ivec2 p) {
  vec4 raw = texelFetch(u_texture, p, 0) * u_valueScale;
#if defined(VALUES_OUTPUT)
  // U8 is stored UNORM: k/255 · 255 is k only up to rounding.
  if (u_valueScale == 255.0) raw = floor(raw + 0.5);
#endif
  bvec3 bad = bvec3(ivec3(isnan(raw.rgb)) + ivec3(isinf(raw.rgb)));
  g_nonFiniteRgb = any(bad);
  return vec4(normalizedFloat(raw.r), normalizedFloat(raw.g), normalizedFloat(raw.b), normalizedFloat(raw.a));
}
#endif

vec4 decodeTexel(ivec2 g) {
  ivec2 p = clamp(g - u_textureOrigin, ivec2(0), u_textureSize - 1);
  vec4 t = normalizedTexel(p);
#if CHANNELS >= 3 && defined(SAMPLER_FLOAT) && !defined(VALUES_OUTPUT)
  if (g_nonFiniteRgb && !u_linearColor) return vec4(1.0, 0.0, 1.0, 1.0);
#endif
#if CHANNELS == 1
  return vec4(t.rrr, 1.0);
#elif CHANNELS == 3
#if defined(SWIZZLE_BGR)
  return vec4(t.bgr, 1.0);
#else
  return vec4(t.rgb, 1.0);
#endif
#else
#if defined(SWIZZLE_BGR)
  return t.bgra;
#else
  return t;
#endif
#endif
}

#endif

vec4 fetchDecoded(ivec2 g) {
  return decodeTexel(clamp(g, ivec2(0), u_imageSize - 1));
}

vec3 srgbFromLinear(vec3 c) {
  vec3 low = c * 12.92;
  vec3 high = 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055;
  return mix(high, low, vec3(lessThanEqual(c, vec3(0.0031308))));
}

vec3 linearFromSrgb(vec3 c) {
  vec3 low = c / 12.92;
  vec3 high = pow((c + 0.055) / 1.055, vec3(2.4));
  return mix(high, low, vec3(lessThanEqual(c, vec3(0.04045))));
}

vec4 premultiplied(vec4 c) {
  return vec4(c.rgb * c.a, c.a);
}

void main() {
#if defined(VALUES_OUTPUT)
  vec4 values = fetchDecoded(ivec2(floor(v_imagePos)));
#if CHANNELS == 4
  o_color = values + vec4(u_valueOffset);
#else
  o_color = vec4(values.rgb + vec3(u_valueOffset), u_opaqueValue);
#endif
  return;
#endif
  // One loop for both filters (nearest: 1 tap of weight 1; linear: 2×2 taps), so the decoder is
  // instantiated once: shader compilers (SwiftShader especially) are much slower on inlined copies.
  vec2 q = u_linear ? v_imagePos - 0.5 : floor(v_imagePos);
  vec2 cell = floor(q);
  vec2 f = u_linear ? q - cell : vec2(0.0);
  ivec2 g = ivec2(cell);
  int taps = u_linear ? 4 : 1;
  vec4 sum = vec4(0.0);
  for (int i = 0; i < 4; i++) {
    if (i >= taps) break;
    ivec2 offset = ivec2(i & 1, i >> 1);
    vec2 w2 = mix(1.0 - f, f, vec2(offset));
    vec4 texel = fetchDecoded(g + offset);
    // Linear filtering happens in premultiplied space; a single nearest tap stays straight (exact).
    sum += (u_linear ? premultiplied(texel) : texel) * (w2.x * w2.y);
  }
  vec4 color = !u_linear ? sum : sum.a > 0.0 ? vec4(sum.rgb / sum.a, sum.a) : vec4(0.0);
#if CHANNELS == 1
  if (u_useColormap) {
    // The grid-map palettes carry alpha (cell value 0 of a cost map is transparent); the others are opaque.
    vec4 mapped = texture(u_colormap, vec2((color.r * 255.0 + 0.5) / 256.0, 0.5));
    color = vec4(mapped.rgb, color.a * mapped.a);
  }
#endif
  bool isLinear = false;
#if CHANNELS >= 3
  isLinear = u_linearColor;
#endif
#if defined(BAYER_CLAMP)
  // Rerun 0.41's Bayer PixelFormats: the demosaiced values are linear colour (sRGB-encoded for display).
  isLinear = true;
#endif
  if (u_linearOutput) {
    // Drawing into a linear (SRGB8_ALPHA8) target: blending happens in linear light, as in Rerun.
    if (!isLinear) color.rgb = linearFromSrgb(clamp(color.rgb, 0.0, 1.0));
  } else if (isLinear) {
    color.rgb = srgbFromLinear(clamp(color.rgb, 0.0, 1.0));
  }
  float alpha = color.a * clamp(u_opacity, 0.0, 1.0);
  o_color = u_premultiplyOutput ? vec4(color.rgb * alpha, alpha) : vec4(color.rgb, alpha);
}
`;

/** GLSL ES 3.00 fragment source for one program key. */
export function imageFragmentSource(key: ImageProgramKey): string {
  return `#version 300 es\nprecision highp float;\nprecision highp int;\n${definesOf(key)}\n${body}`;
}
