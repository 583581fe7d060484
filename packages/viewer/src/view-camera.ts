/** A 2D camera: view pixel = space point × scale + offset. */
export interface Camera2D {
  x: number;
  y: number;
  scale: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The camera that fits `bounds` into a `width`×`height` view with a small margin, centred. */
export function fitCamera(bounds: Rect, width: number, height: number, marginPx = 8): Camera2D {
  const w = Math.max(1, width - 2 * marginPx);
  const h = Math.max(1, height - 2 * marginPx);
  const scale = Math.min(w / Math.max(bounds.width, 1e-9), h / Math.max(bounds.height, 1e-9));
  return {
    scale,
    x: (width - bounds.width * scale) / 2 - bounds.x * scale,
    y: (height - bounds.height * scale) / 2 - bounds.y * scale,
  };
}

/** Zooms by `factor` keeping the space point under (px, py) fixed. */
export function zoomAt(camera: Camera2D, px: number, py: number, factor: number): Camera2D {
  const scale = Math.min(1e4, Math.max(1e-4, camera.scale * factor));
  const f = scale / camera.scale;
  return { scale, x: px - (px - camera.x) * f, y: py - (py - camera.y) * f };
}

/** Space coordinates of a view pixel. */
export function spaceFromView(camera: Camera2D, px: number, py: number): [number, number] {
  return [(px - camera.x) / camera.scale, (py - camera.y) / camera.scale];
}
