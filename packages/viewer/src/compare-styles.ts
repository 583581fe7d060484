/** CSS of compare mode (injected once next to the viewer's own styles). */
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
