// Vitest globalSetup of the browser suites: builds the Iris viewer page once per run instead of once in every test
// file that starts an IrisViewerHarness (20 files; each build ~0.5 s of wall time when the machine is quiet, more
// on a busy one). The files get the page's directory with inject("viewerDist").
import type { TestProject } from "vitest/node";
import { buildViewer } from "../../packages/viewer/build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    viewerDist: string;
  }
}

export default async function buildViewerOnce(project: TestProject): Promise<void> {
  project.provide("viewerDist", await buildViewer({ minify: false }));
}
