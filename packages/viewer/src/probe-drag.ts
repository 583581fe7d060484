import { irisShownSize } from "@iris/types";
import type { ProbeRequest } from "./probe-panel.ts";
import type { DrawnImage } from "./spatial-2d-view.ts";
import { spaceFromView } from "./view-camera.ts";

/** A point in CSS px of a view's canvas. */
export interface CanvasPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Alt+click (a pixel) and Alt+drag (a rectangle) on a view's canvas start a probe. The listeners run in the
 * capture phase and stop the event, so the view's own pan / select handling never sees an Alt gesture. While
 * dragging, a dashed rectangle (`.iris-probe-rect`, in `overlayParent`) shows the region.
 */
export function installProbeDrag(
  canvas: HTMLCanvasElement,
  overlayParent: HTMLElement,
  onProbe: (from: CanvasPoint, to: CanvasPoint) => void,
): void {
  let start: CanvasPoint | undefined;
  let pointerId: number | undefined;
  const box = document.createElement("div");
  box.className = "iris-probe-rect";
  box.style.display = "none";
  overlayParent.append(box);
  const at = (e: MouseEvent): CanvasPoint => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const show = (a: CanvasPoint, b: CanvasPoint): void => {
    const offsetX = canvas.offsetLeft;
    const offsetY = canvas.offsetTop;
    box.style.display = "block";
    box.style.left = `${offsetX + Math.min(a.x, b.x)}px`;
    box.style.top = `${offsetY + Math.min(a.y, b.y)}px`;
    box.style.width = `${Math.abs(b.x - a.x)}px`;
    box.style.height = `${Math.abs(b.y - a.y)}px`;
  };
  canvas.addEventListener(
    "pointerdown",
    (e) => {
      if (!e.altKey || e.button !== 0) return;
      e.stopImmediatePropagation();
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      start = at(e);
      pointerId = e.pointerId;
    },
    { capture: true },
  );
  canvas.addEventListener(
    "pointermove",
    (e) => {
      if (start === undefined || e.pointerId !== pointerId) return;
      e.stopImmediatePropagation();
      show(start, at(e));
    },
    { capture: true },
  );
  const finish = (e: PointerEvent, cancelled: boolean): void => {
    if (start === undefined || e.pointerId !== pointerId) return;
    e.stopImmediatePropagation();
    const from = start;
    start = undefined;
    pointerId = undefined;
    box.style.display = "none";
    if (!cancelled) onProbe(from, at(e));
  };
  canvas.addEventListener("pointerup", (e) => finish(e, false), { capture: true });
  canvas.addEventListener("pointercancel", (e) => finish(e, true), { capture: true });
  // The click that follows an Alt gesture is the probe's, not a selection.
  canvas.addEventListener(
    "click",
    (e) => {
      if (e.altKey) e.stopImmediatePropagation();
    },
    { capture: true },
  );
}

/**
 * The probe request of an Alt gesture from `a` to `b` over a view: the topmost image under `a` (as `pixelAt`
 * finds it), the pixel there, and for a drag the rectangle up to the pixel under `b` (clamped to that image).
 * Undefined when `a` is over no image.
 */
export function probeRequestOf(
  drawn: readonly DrawnImage[],
  pixelAt: (x: number, y: number) => { entityPath: string; x: number; y: number } | undefined,
  a: CanvasPoint,
  b: CanvasPoint,
): ProbeRequest | undefined {
  const hit = pixelAt(a.x, a.y);
  if (!hit) return undefined;
  let d: DrawnImage | undefined;
  for (let i = drawn.length - 1; i >= 0 && !d; i--) if (drawn[i]!.entityPath === hit.entityPath) d = drawn[i];
  if (!d) return undefined;
  const size = d.irisLayout ? irisShownSize(d.format, d.irisLayout) : d.format;
  const [sx, sy] = spaceFromView(d, b.x, b.y);
  const ex = Math.min(size.width - 1, Math.max(0, Math.floor(sx)));
  const ey = Math.min(size.height - 1, Math.max(0, Math.floor(sy)));
  const width = Math.abs(ex - hit.x) + 1;
  const height = Math.abs(ey - hit.y) + 1;
  if (width === 1 && height === 1) return { entityPath: hit.entityPath, x: hit.x, y: hit.y };
  return { entityPath: hit.entityPath, x: Math.min(ex, hit.x), y: Math.min(ey, hit.y), width, height };
}
