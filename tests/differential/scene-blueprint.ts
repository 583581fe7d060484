/**
 * A Rerun blueprint (written by the real Rerun 0.41 Python SDK in the oracle venv) that gives each scene view its
 * own Spatial2DView at `/vK`. Without it the real viewer spawns views from its heuristics while the recording is
 * still arriving, and can keep an early view of a calibration entity alone (e.g. `/v0/cal` beside `/v0`), which
 * depends on timing. The Iris viewer gets the recording alone: its own heuristics give the same `/vK` views.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRerunPython } from "../rerun-oracle/rerun-venv.ts";

/** Blueprint `.rbl` bytes for `applicationId` with one 2D view per origin, in a grid. */
export function sceneBlueprint(applicationId: string, origins: readonly string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "iris-scene-blueprint-"));
  try {
    const file = join(dir, "scene.rbl");
    runRerunPython(
      [
        "import json, sys",
        "import rerun.blueprint as rrb",
        `origins = json.loads(${JSON.stringify(JSON.stringify(origins))})`,
        "views = [rrb.Spatial2DView(origin=o, name=o.strip('/')) for o in origins]",
        "bp = rrb.Blueprint(rrb.Grid(*views), collapse_panels=True)",
        `bp.save(${JSON.stringify(applicationId)}, ${JSON.stringify(file)})`,
      ].join("\n"),
    );
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
