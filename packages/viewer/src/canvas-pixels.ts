/**
 * The canvas's current pixels (RGBA8, top row first) in device pixels, read back from WebGL; `scale` is the
 * device-pixel ratio the views draw with (canvas pixels per CSS pixel). Used by tests to compare what is shown
 * with the CPU reference.
 */
export function readCanvasPixels(
  gl: WebGL2RenderingContext,
  canvas: HTMLCanvasElement,
): { width: number; height: number; scale: number; rgba: Uint8Array } {
  const { width, height } = canvas;
  const raw = new Uint8Array(width * height * 4);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, raw);
  const rgba = new Uint8Array(raw.length);
  for (let y = 0; y < height; y++) {
    rgba.set(raw.subarray((height - 1 - y) * width * 4, (height - y) * width * 4), y * width * 4);
  }
  return { width, height, scale: window.devicePixelRatio || 1, rgba };
}

/** Sizes the canvas's backing store to its CSS box × devicePixelRatio; true when it changed. */
export function fitCanvasToDisplay(canvas: HTMLCanvasElement): boolean {
  const rect = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(rect.width * dpr));
  const height = Math.max(1, Math.round(rect.height * dpr));
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}
