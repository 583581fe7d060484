/**
 * Fragment shaders of compare mode (both draw one quad with `imageVertexSource`, one fragment per image pixel
 * for the difference pass):
 *
 * - `differenceFragmentSource`: |a − b| per channel of two DECODED-VALUE textures (RGBA32F, written by
 *   `ImageRenderer.drawValues`); equal values (also equal ±Inf, and NaN against NaN) give 0, a NaN or ±Inf
 *   against anything else gives NaN/Inf (left out of the statistics, shown magenta).
 * - `differenceDisplaySource`: shows a difference texture: the largest |a − b| of the compared channels,
 *   divided by the top of the display range, through a colormap (the same 256-entry lookup textures as images);
 *   non-finite differences are magenta, as Rerun's error colour.
 */
export const differenceFragmentSource = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_a;
uniform highp sampler2D u_b;
out vec4 o_difference;
float difference(float a, float b) {
  if (a == b || (isnan(a) && isnan(b))) return 0.0;
  return abs(a - b);
}
void main() {
  // All three textures hold image row y at texel row height − 1 − y (drawn with image row 0 at the top): the
  // same texel as the fragment's own.
  ivec2 g = ivec2(gl_FragCoord.xy);
  vec4 a = texelFetch(u_a, g, 0);
  vec4 b = texelFetch(u_b, g, 0);
  o_difference = vec4(difference(a.r, b.r), difference(a.g, b.g), difference(a.b, b.b), difference(a.a, b.a));
}
`;

export const differenceDisplaySource = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_difference;
uniform highp sampler2D u_colormap;
uniform ivec2 u_imageSize;
uniform int u_channels;
uniform float u_scale;
uniform bool u_useColormap;
uniform float u_opacity;
in vec2 v_imagePos;
out vec4 o_color;
void main() {
  ivec2 g = clamp(ivec2(floor(v_imagePos)), ivec2(0), u_imageSize - 1);
  vec4 d = texelFetch(u_difference, ivec2(g.x, u_imageSize.y - 1 - g.y), 0);
  float m = 0.0;
  bool bad = false;
  for (int i = 0; i < 4; i++) {
    if (i >= u_channels) break;
    float v = d[i];
    if (isnan(v) || isinf(v)) bad = true;
    else m = max(m, v);
  }
  float t = clamp(m * u_scale, 0.0, 1.0);
  vec3 rgb = u_useColormap ? texture(u_colormap, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb : vec3(t);
  if (bad) rgb = vec3(1.0, 0.0, 1.0);
  o_color = vec4(rgb * u_opacity, u_opacity);
}
`;
