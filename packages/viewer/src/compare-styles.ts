/** CSS and small DOM helpers of compare mode (styles injected once next to the viewer's own). */
export const compareCss = `
.iris-compare { display: flex; flex-direction: column; flex: 1; min-height: 0; height: 100%; background: #16191d; }
.iris-compare-controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 3px 6px; background: #1f2328; }
.iris-compare-side { display: inline-flex; gap: 3px; align-items: center; }
.iris-compare-modes button.iris-active { background: #2b5ea8; color: #fff; }
.iris-compare-stats { font-variant-numeric: tabular-nums; color: #d6dbe2; }
.iris-compare-rule { cursor: help; color: #8a93a0; }
.iris-compare .iris-canvas-area { flex: 1; min-height: 0; }
.iris-compare-handle { position: absolute; top: 0; bottom: 0; width: 12px; margin-left: -6px; cursor: ew-resize; z-index: 2; }
.iris-compare-message { position: absolute; left: 12px; top: 12px; right: 12px; padding: 6px 8px; background: rgba(120,40,40,.9); color: #fff; border-radius: 3px; z-index: 3; }
`;

/** Linked views list the other views' values on new lines of the hover read-out. */
export const linkedHoverCss = `.iris-tooltip-text { white-space: pre-line; }`;

/** Adds the compare and linked-hover CSS to `doc` once. */
export function injectCompareStyles(doc: Document): void {
  if (doc.getElementById("iris-compare-styles")) return;
  const style = doc.createElement("style");
  style.id = "iris-compare-styles";
  style.textContent = compareCss + linkedHoverCss;
  doc.head.append(style);
}

/** Dragging the swipe divider's handle sets the divider to the pointer's fraction of the canvas width. */
export function installSwipeHandle(
  handle: HTMLElement,
  canvas: HTMLCanvasElement,
  setAmount: (fraction: number) => void,
): void {
  let dragging = false;
  handle.addEventListener("pointerdown", (e) => {
    dragging = true;
    handle.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  handle.addEventListener("pointermove", (e) => {
    if (!dragging) return;
    const r = canvas.getBoundingClientRect();
    setAmount((e.clientX - r.left) / Math.max(1, r.width));
  });
  const stop = (): void => {
    dragging = false;
  };
  handle.addEventListener("pointerup", stop);
  handle.addEventListener("pointercancel", stop);
}
