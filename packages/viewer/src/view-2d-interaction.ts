import { type Camera2D, zoomAt } from "./view-camera.ts";

/** What the 2D view's pointer handling reads and changes. */
export interface View2DInteractionTarget {
  camera(): Camera2D | undefined;
  /** The user moved the camera (pan, zoom, pinch). */
  moveCamera(camera: Camera2D): void;
  /** Double-click: back to the fitted camera. */
  resetCamera(): void;
  /** The pointer position in CSS px of the canvas, or undefined when it left. */
  hover(at: { x: number; y: number; clientX: number; clientY: number } | undefined): void;
  /** A click without dragging, at CSS px of the canvas. */
  click(x: number, y: number): void;
}

/** Wheel / pinch zoom, drag to pan, double-click to reset, hover and click on a 2D view's canvas. */
export function installView2DInteraction(c: HTMLCanvasElement, target: View2DInteractionTarget): void {
  const pointers = new Map<number, [number, number]>();
  let pinchDistance: number | undefined;
  let downAt: [number, number] | undefined;
  c.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const camera = target.camera();
      if (!camera) return;
      const r = c.getBoundingClientRect();
      target.moveCamera(zoomAt(camera, e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015)));
    },
    { passive: false },
  );
  c.addEventListener("pointerdown", (e) => {
    c.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    downAt = [e.clientX, e.clientY];
  });
  c.addEventListener("pointermove", (e) => {
    const r = c.getBoundingClientRect();
    target.hover({ x: e.clientX - r.left, y: e.clientY - r.top, clientX: e.clientX, clientY: e.clientY });
    const last = pointers.get(e.pointerId);
    const camera = target.camera();
    if (!last || !camera) return;
    if (pointers.size === 1)
      target.moveCamera({ ...camera, x: camera.x + e.clientX - last[0], y: camera.y + e.clientY - last[1] });
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [[number, number], [number, number]];
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (pinchDistance !== undefined && d > 0)
        target.moveCamera(
          zoomAt(camera, (a[0] + b[0]) / 2 - r.left, (a[1] + b[1]) / 2 - r.top, d / pinchDistance),
        );
      pinchDistance = d;
    }
  });
  c.addEventListener("click", (e) => {
    if (!downAt || Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) > 4) return;
    const r = c.getBoundingClientRect();
    target.click(e.clientX - r.left, e.clientY - r.top);
  });
  const release = (e: PointerEvent): void => {
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinchDistance = undefined;
  };
  c.addEventListener("pointerup", release);
  c.addEventListener("pointercancel", release);
  c.addEventListener("pointerleave", () => target.hover(undefined));
  c.addEventListener("dblclick", () => target.resetCamera());
}

/**
 * Places a `position: fixed` tooltip near the pointer, flipped to the other side of it where it would leave the
 * window, so it is always fully visible.
 */
export function placeTooltip(el: HTMLElement, clientX: number, clientY: number): void {
  const win = el.ownerDocument.defaultView;
  const width = win?.innerWidth ?? 0;
  const height = win?.innerHeight ?? 0;
  const r = el.getBoundingClientRect();
  const gap = 14;
  let left = clientX + gap;
  let top = clientY + gap;
  if (left + r.width > width) left = clientX - gap - r.width;
  if (top + r.height > height) top = clientY - gap - r.height;
  el.style.left = `${Math.max(0, Math.min(left, width - r.width))}px`;
  el.style.top = `${Math.max(0, Math.min(top, height - r.height))}px`;
}
