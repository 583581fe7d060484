/**
 * Self-tests of the browser harness, independent of Iris's SDK: the static server's rules, that a decode failure
 * in the real viewer surfaces as a HarnessError carrying the viewer's warning, that recordings written by the
 * independent fixture writer render and pass the same pixel checks as the examples, and that the checks fail on
 * wrong or missing pictures.
 */
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkImageSimple, checkMovingRectangle } from "./example-checks.ts";
import { HarnessError } from "./harness-error.ts";
import {
  imageRowUpdatesFixture,
  imageSimpleFixture,
  imageSimpleWrongColoursFixture,
} from "./independent-fixtures.ts";
import { countPixels, near } from "./pixels.ts";
import { RerunWebViewerHarness, saveScreenshot } from "./rerun-viewer.ts";
import { mimeTypeOf, resolveInsideRoot, startStaticServer, type StaticServer } from "./static-server.ts";

describe("static server", () => {
  let dir = "";
  let server: StaticServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "iris-static-"));
    await mkdir(path.join(dir, "pkg"));
    await writeFile(path.join(dir, "pkg", "re_viewer.js"), "export default 1;\n");
    await writeFile(path.join(dir, "pkg", "viewer.wasm"), new Uint8Array([0, 97, 115, 109]));
    await writeFile(path.join(dir, "secret.txt"), "outside the root");
    server = await startStaticServer({ roots: [{ prefix: "/pkg/", dir: path.join(dir, "pkg") }] });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("serves wasm as application/wasm and falls back from <path> to <path>.js", async () => {
    const wasm = await fetch(`${server!.url}/pkg/viewer.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    const js = await fetch(`${server!.url}/pkg/re_viewer`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain("export default");
  });

  test("serves in-memory files and 404s unknown paths", async () => {
    server!.putFile("/data/x.rrd", { body: new Uint8Array([1, 2, 3]) });
    const data = await fetch(`${server!.url}/data/x.rrd`);
    expect(new Uint8Array(await data.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    server!.deleteFile("/data/x.rrd");
    expect((await fetch(`${server!.url}/data/x.rrd`)).status).toBe(404);
    expect((await fetch(`${server!.url}/pkg/nope.js`)).status).toBe(404);
  });

  test("never leaves its root", async () => {
    const root = { prefix: "/pkg/", dir: path.join(dir, "pkg") };
    expect(resolveInsideRoot(root, "/pkg/../secret.txt")).toBeUndefined();
    expect(resolveInsideRoot(root, "/pkg/%2e%2e/secret.txt")).toBeUndefined();
    expect(resolveInsideRoot(root, "/pkg/..%2fsecret.txt")).toBeUndefined();
    expect(resolveInsideRoot(root, "/pkg/%00")).toBeUndefined();
    expect(resolveInsideRoot(root, "/pkg/a/../re_viewer.js")).toBe(path.join(dir, "pkg", "re_viewer.js"));
    for (const attack of ["/pkg/%2e%2e/secret.txt", "/pkg/..%2fsecret.txt", "/pkg/%2e%2e%2fsecret.txt"]) {
      const response = await fetch(`${server!.url}${attack}`);
      expect(response.status, attack).toBe(404);
    }
    expect(mimeTypeOf("index.html")).toMatch(/^text\/html/);
  });
});

describe("Rerun web viewer harness (independent fixtures, no SDK)", () => {
  let harness: RerunWebViewerHarness | undefined;

  beforeAll(async () => {
    harness = await RerunWebViewerHarness.start();
  });

  afterAll(async () => {
    await harness?.close();
  });

  test("garbage bytes: the viewer's decode warning surfaces as a HarnessError", async () => {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 1) & 0xff);
    const error = await harness!.show(garbage, { name: "garbage", timeoutMs: 120_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HarnessError);
    const harnessError = error as HarnessError;
    expect(harnessError.kind).toBe("rrd-decode-failed");
    expect(harnessError.message).toContain("Failed to decode .rrd");
    expect(harnessError.consoleLines.join("\n")).toMatch(/Not an RRD file: expected FourCC header "RRF2"/);
    // Nothing was drawn: the image check must fail on this screen.
    const empty = await harness!.screenshot();
    expect(checkImageSimple(empty).failures).not.toEqual([]);
  });

  test("hand-made image_simple renders and passes the image_simple check", async () => {
    const result = await harness!.show(imageSimpleFixture(), {
      name: "fixture-image_simple",
      until: (shot) => countPixels(shot, near([0, 255, 0], 40)) >= 2000,
    });
    const checked = checkImageSimple(result.screenshot);
    if (checked.failures.length > 0) await saveScreenshot(result.screenshot, "fixture-image_simple-failed");
    expect(result.problems).toEqual([]);
    expect(checked.failures, JSON.stringify(checked.found)).toEqual([]);
    expect(result.recordingOpen["application_id"]).toBe("iris_fixture_image_simple");
  });

  test("hand-made image_row_updates shows the last frame (t = 19) and no other", async () => {
    const result = await harness!.show(imageRowUpdatesFixture(), {
      name: "fixture-image_row_updates",
      until: (shot) => countPixels(shot, near([0, 255, 255], 40)) >= 2000,
    });
    expect(result.problems).toEqual([]);
    expect(checkMovingRectangle(result.screenshot, 19).failures).toEqual([]);
    expect(checkMovingRectangle(result.screenshot, 18).failures).not.toEqual([]);
    expect(checkMovingRectangle(result.screenshot, 0).failures).not.toEqual([]);
  });

  test("wrong colours fail the check", async () => {
    const result = await harness!.show(imageSimpleWrongColoursFixture(), {
      name: "fixture-wrong-colours",
      until: (shot) => countPixels(shot, near([0, 0, 255], 40)) >= 2000,
    });
    expect(checkImageSimple(result.screenshot).failures).not.toEqual([]);
  });
});
