export { IrisViewer, type IrisViewerOptions, type IrisViewerEvents } from "./iris-viewer.ts";
export { Recording } from "./recording.ts";
export { TimeControl, type TimelineState } from "./time-control.ts";
export { Spatial2DView, type DrawnImage, type PixelSelection } from "./spatial-2d-view.ts";
export { buildViewerUrl } from "./viewer-url.ts";
export { DataframeView } from "./dataframe-view.ts";
export { imageThumbnail } from "./image-thumbnail.ts";
export { ProbePanel, type ProbeRequest } from "./probe-panel.ts";
export {
  ProbeError,
  type ProbeChannels,
  type ProbeErrorKind,
  type ProbeImageKind,
  type ProbeRegion,
  type ProbeSample,
  type ProbeSampleStatus,
  type ProbeSeries,
  type ProbeValue,
} from "@iris/store";
export { CompareView, type CompareMode, type CompareSource, type ComparePixel } from "./compare-view.ts";
export { ViewLink } from "./view-link.ts";
