import { type OrbitCamera, orbit, pan, zoom } from "./orbit-camera.ts";

/** A pointer position over the canvas: CSS px of the canvas, and of the window. */
export interface HoverPoint {
  x: number;
  y: number;
  clientX: number;
  clientY: number;
}

/** What the mouse drives in a 3D view. */
export interface OrbitTarget {
  /** The current eye (undefined before the first frame). */
  camera(): OrbitCamera | undefined;
  /** The user moved the eye. */
  moveCamera(camera: OrbitCamera): void;
  /** Double-click: back to the automatic eye. */
  resetCamera(): void;
  /** The pointer moved over the canvas (undefined: it left); `dragging` while a button is held. */
  hover(at: HoverPoint | undefined, dragging: boolean): void;
}

/** Rerun's 3D controls: orbit (drag), pan (right/middle/shift-drag), zoom (wheel), double-click to reset. */
export function installOrbitInteraction(c: HTMLCanvasElement, target: OrbitTarget): void {
  let last: [number, number] | undefined;
  let panning = false;
  c.addEventListener("contextmenu", (e) => e.preventDefault());
  c.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const camera = target.camera();
      if (!camera) return;
      target.moveCamera(zoom(camera, Math.exp(-e.deltaY * 0.0015)));
    },
    { passive: false },
  );
  c.addEventListener("pointerdown", (e) => {
    c.setPointerCapture(e.pointerId);
    last = [e.clientX, e.clientY];
    panning = e.button === 2 || e.button === 1 || e.shiftKey;
  });
  c.addEventListener("pointermove", (e) => {
    const r = c.getBoundingClientRect();
    target.hover(
      { x: e.clientX - r.left, y: e.clientY - r.top, clientX: e.clientX, clientY: e.clientY },
      last !== undefined,
    );
    const camera = target.camera();
    if (!last || !camera) return;
    const dx = e.clientX - last[0];
    const dy = e.clientY - last[1];
    last = [e.clientX, e.clientY];
    target.moveCamera(
      panning ? pan(camera, dx, dy, c.getBoundingClientRect().height) : orbit(camera, dx, dy),
    );
  });
  const release = (): void => {
    last = undefined;
  };
  c.addEventListener("pointerup", release);
  c.addEventListener("pointerleave", () => target.hover(undefined, false));
  c.addEventListener("pointercancel", release);
  c.addEventListener("dblclick", () => target.resetCamera());
}
