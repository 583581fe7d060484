/**
 * Vertex shader of one image tile: a quad generated from gl_VertexID (TRIANGLE_STRIP, 4 vertices, no
 * attributes) spanning the tile's drawn rectangle in image pixels, placed by `u_clipFromImage`.
 */
export const imageVertexSource = `#version 300 es
precision highp float;

uniform mat4 u_clipFromImage;
// Drawn rectangle of this tile in image pixels: x0, y0, x1, y1.
uniform vec4 u_tileRect;

out vec2 v_imagePos;

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  vec2 imagePos = mix(u_tileRect.xy, u_tileRect.zw, corner);
  v_imagePos = imagePos;
  gl_Position = u_clipFromImage * vec4(imagePos, 0.0, 1.0);
}
`;
