/**
 * The differential suite (differential-suite.ts) against the real Rerun web viewer 0.33.0 (@rerun-io/web-viewer).
 */
import { RerunWebViewerHarness } from "../browser/rerun-viewer.ts";
import { differentialSuite } from "./differential-suite.ts";

differentialSuite("0.33", () => RerunWebViewerHarness.start({ width: 800, height: 500 }));
