/**
 * The differential suite (differential-suite.ts) against the real Rerun web viewer 0.41.0 (the rerun-notebook
 * 0.41.0 build, tests/browser/rerun-viewer-041.ts): the Rerun release people use today, and the one npm test runs.
 *
 * `IRIS_DIFFERENTIAL_VIEWER=0.33` runs the format cases against the older @rerun-io/web-viewer 0.33.0 instead
 * (the scene cases need 0.41's Colormaps and blueprint; npm test does not run both, to stay fast).
 */
import { RerunWebViewerHarness } from "../browser/rerun-viewer.ts";
import { rerun041Viewer } from "../browser/rerun-viewer-041.ts";
import { differentialSuite } from "./differential-suite.ts";

if (process.env["IRIS_DIFFERENTIAL_VIEWER"] === "0.33") {
  differentialSuite("0.33", () => RerunWebViewerHarness.start({ width: 800, height: 500 }));
} else {
  differentialSuite("0.41", () =>
    RerunWebViewerHarness.start({ width: 800, height: 500, viewer: rerun041Viewer() }),
  );
}
