import { viewErrorBadgeCss } from "./view-error-badge.ts";
import { probePanelCss } from "./probe-panel.ts";

/** The viewer's CSS, injected once per document. */
export const viewerCss =
  `
.iris-viewer { position: relative; display: flex; flex-direction: column; width: 100%; height: 100%;
  background: #121417; color: #d7dae0; font: 12px/1.4 system-ui, sans-serif; outline: none; }
.iris-top { display: flex; gap: 8px; align-items: center; padding: 4px 8px; background: #1b1e23; border-bottom: 1px solid #2a2e35; }
.iris-top .iris-brand { font-weight: 600; color: #f5c542; }
.iris-top .iris-progress { flex: 1; color: #9aa0a6; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-main { flex: 1; display: flex; min-height: 0; }
.iris-left { width: 230px; flex: none; overflow: auto; background: #16191d; border-right: 1px solid #2a2e35; }
.iris-center { flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.iris-section-title { padding: 6px 8px 2px; font-weight: 600; color: #9aa0a6; text-transform: uppercase; font-size: 11px; }
.iris-layout-controls { float: right; text-transform: none; font-weight: normal; }
.iris-layout-controls button { font-size: 11px; padding: 0 4px; margin-left: 2px; }
.iris-left ul { list-style: none; margin: 0; padding: 0; }
.iris-recording { padding: 4px 8px; border-left: 3px solid transparent; cursor: pointer; }
.iris-recording:hover { background: #1d2127; }
.iris-recording.iris-active { background: #243247; border-left-color: #4c8bf5; }
.iris-recording-app { font-weight: 600; }
.iris-recording-name, .iris-recording-start, .iris-recording-source { color: #9aa0a6; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-tree-row { display: flex; align-items: center; gap: 4px; padding: 1px 6px; white-space: nowrap; }
.iris-view-tree ul .iris-tree-row { padding-left: 22px; }
.iris-tree-name { overflow: hidden; text-overflow: ellipsis; }
.iris-stream { padding: 1px 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-implicit { color: #6b7078; }
.iris-clickable { cursor: pointer; }
.iris-clickable:hover { color: #fff; text-decoration: underline; }
.iris-eye { margin: 0; accent-color: #4c8bf5; }
.iris-hidden-inherited { opacity: 0.45; }
.iris-notifications { max-height: 30vh; overflow: auto; background: #2a1416; border-bottom: 2px solid #e5484d; }
.iris-notifications-head { display: flex; gap: 8px; align-items: center; padding: 3px 8px; font-weight: 600; color: #ffb4b4; }
.iris-notifications-head span { flex: 1; }
.iris-notifications ul { list-style: none; margin: 0; padding: 0 8px 4px; }
.iris-note { display: flex; gap: 8px; align-items: baseline; padding: 2px 0; }
.iris-note strong { text-transform: uppercase; font-size: 11px; min-width: 56px; }
.iris-note-error strong { color: #ff6b6b; }
.iris-note-warning strong { color: #f5c542; }
.iris-note-source { color: #9aa0a6; white-space: nowrap; }
.iris-note-text { flex: 1; overflow-wrap: anywhere; }
.iris-note-count { color: #9aa0a6; }
.iris-notification-badge { flex: none; }
.iris-viewer .iris-notification-badge[data-level=error] { background: #e5484d; color: #fff; border-color: #e5484d; }
.iris-viewer .iris-notification-badge[data-level=warning] { background: #f5c542; color: #000; }
.iris-selection { width: 260px; flex: none; overflow: auto; background: #16191d; border-left: 1px solid #2a2e35; padding-bottom: 8px; }
.iris-selection-empty { padding: 4px 8px; color: #6b7078; }
.iris-selection-head { display: flex; gap: 6px; align-items: center; padding: 6px 8px; background: #1f2328; font-weight: 600; }
.iris-selection-title { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-selection-pixel { padding: 4px 8px; font-family: ui-monospace, monospace; color: #f5c542; overflow-wrap: anywhere; }
.iris-selection-table { width: 100%; border-collapse: collapse; font-size: 11px; }
.iris-selection-table td { padding: 1px 8px; vertical-align: top; overflow-wrap: anywhere; }
.iris-selection-table td:first-child { color: #9aa0a6; white-space: nowrap; }
.iris-selection-preview { padding: 4px 8px; }
.iris-selection-preview canvas, .iris-selection-preview img { max-width: 100%; image-rendering: pixelated; border: 1px solid #2a2e35; }
.iris-selection-downloads { display: flex; flex-wrap: wrap; gap: 4px; padding: 0 8px; }
.iris-layout { flex: 1; display: grid; min-height: 0; padding: 4px; }
.iris-view { display: flex; flex-direction: column; min-width: 0; min-height: 0; background: #16191d; border: 1px solid #2a2e35; }
.iris-view-header { display: flex; gap: 4px; align-items: center; padding: 2px 6px; background: #1f2328; }
.iris-view-title { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-view-body { position: relative; flex: 1; min-height: 0; display: flex; }
.iris-canvas-area { position: relative; flex: 1; min-width: 0; }
.iris-canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; touch-action: none; cursor: crosshair; }
.iris-tooltip { position: fixed; z-index: 10; display: none; pointer-events: none; background: rgba(20,22,26,.92); border: 1px solid #3a3f47;
  padding: 3px 6px; border-radius: 3px; white-space: nowrap; font-family: ui-monospace, monospace; }
.iris-magnifier { display: flex; gap: 6px; align-items: center; margin-top: 4px; }
.iris-magnifier canvas { width: 90px; height: 90px; border: 1px solid #3a3f47; image-rendering: pixelated; }
.iris-magnifier-values { border-collapse: collapse; font-size: 10px; }
.iris-magnifier-values td { padding: 0 4px; text-align: right; color: #9aa0a6; }
.iris-magnifier-values td.iris-magnifier-centre { color: #f5c542; }
.iris-image-panel { flex: none; width: 184px; overflow: auto; background: #1b1e23; border-left: 1px solid #2a2e35; padding: 4px 6px; }
.iris-image-panel.iris-collapsed { width: auto; padding: 4px 2px; }
.iris-image-panel.iris-collapsed .iris-image-panel-body, .iris-image-panel.iris-collapsed .iris-image-panel-title { display: none; }
.iris-image-panel-head { display: flex; gap: 4px; align-items: center; }
.iris-image-panel-title { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.iris-image-panel label { display: block; margin-top: 3px; white-space: nowrap; }
.iris-image-panel input { width: 100px; }
.iris-histogram { display: block; margin-top: 4px; width: 168px; height: 60px; background: #111; }
.iris-gutter { background: #2a2e35; }
.iris-gutter-column { cursor: col-resize; }
.iris-gutter-row { cursor: row-resize; }
.iris-time-panel { border-top: 1px solid #2a2e35; background: #1b1e23; padding: 4px 8px; }
.iris-time-controls { display: flex; gap: 6px; align-items: center; }
.iris-time-label { margin-left: 8px; font-family: ui-monospace, monospace; }
.iris-scrubber { display: block; width: 100%; height: 36px; margin-top: 4px; background: #121417; cursor: pointer; }
.iris-time-input { width: 190px; font-family: ui-monospace, monospace; background: #121417; color: inherit; border: 1px solid #3a3f47; border-radius: 3px; }
.iris-time-input.iris-invalid { border-color: #e5484d; }
.iris-time-hover { margin-left: auto; color: #9aa0a6; font-family: ui-monospace, monospace; white-space: nowrap; }
.iris-drop { position: absolute; inset: 0; display: none; align-items: center; justify-content: center; font-size: 18px;
  background: rgba(76,139,245,.15); border: 2px dashed #4c8bf5; pointer-events: none; }
.iris-empty { margin: auto; color: #9aa0a6; text-align: center; }
.iris-viewer button:disabled { opacity: .45; cursor: default; }
.iris-viewer button, .iris-viewer select { background: #2a2e35; color: inherit; border: 1px solid #3a3f47; border-radius: 3px; }

.iris-tabs button.iris-active { background: #4c8bf5; color: #fff; }
.iris-dataframe { flex: 1; min-height: 0; display: flex; flex-direction: column; --iris-df-columns: 140px; }
.iris-df-pending { color: #8a8f98; }
.iris-df-notice { padding: 6px 10px; background: #2b2616; color: #e8d9a8; border-bottom: 1px solid #4a4128; font-size: 12px; }
.iris-df-header { display: grid; grid-template-columns: var(--iris-df-columns); background: #1f2328; border-bottom: 1px solid #2a2e35;
  white-space: pre; font-weight: 600; overflow: hidden; }
.iris-df-scroller { flex: 1; overflow: auto; position: relative; }
.iris-df-spacer { position: relative; }
.iris-df-row { position: absolute; left: 0; display: grid; grid-template-columns: var(--iris-df-columns); height: 52px;
  border-bottom: 1px solid #22262c; cursor: pointer; }
.iris-df-row:hover { background: #1d2127; }
.iris-df-row.iris-df-current { background: #243247; }
.iris-df-cell { padding: 2px 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; align-self: center; }
.iris-df-index { font-family: ui-monospace, monospace; color: #f5c542; }
.iris-df-image { display: flex; gap: 6px; align-items: center; }
.iris-df-thumb { image-rendering: pixelated; border: 1px solid #2a2e35; }
` +
  viewErrorBadgeCss +
  probePanelCss;

/** Adds the viewer's style sheet to a document once. */
export function injectViewerStyles(doc: Document): void {
  if (doc.getElementById("iris-viewer-styles")) return;
  const style = doc.createElement("style");
  style.id = "iris-viewer-styles";
  style.textContent = viewerCss;
  doc.head.append(style);
}
