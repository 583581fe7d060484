import { request } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ViewerServer } from "@iris/server";
import { classifySource, startViewer } from "../../packages/cli/src/commands/view.ts";
import { parseArgs } from "../../packages/cli/src/args.ts";
import { viewSpec } from "../../packages/cli/src/commands/view.ts";
import { rawGet } from "../raw-get.ts";

/** A GET with the given `Host` header. */
function getWithHost(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the viewer HTTP server", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-view-"));
  const viewerDir = join(dir, "viewer");
  const secret = join(dir, "secret.txt");
  const recording = join(dir, "rec one.rrd");
  let server: ViewerServer;
  let base: string;

  beforeAll(async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(viewerDir);
    writeFileSync(join(viewerDir, "index.html"), "<!doctype html>viewer");
    writeFileSync(join(viewerDir, "iris-viewer.js"), "export {};");
    writeFileSync(secret, "top secret");
    writeFileSync(recording, new Uint8Array([0x52, 0x52, 0x46, 0x32]));
    server = new ViewerServer({ viewerDir, port: 0 });
    server.addFile(recording);
    base = await server.listen();
  });
  afterAll(() => server.close());

  it("binds 127.0.0.1 by default and serves the viewer and registered files", async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await rawGet(base, "/")).body).toBe("<!doctype html>viewer");
    const rec = await rawGet(base, "/recordings/0/rec%20one.rrd");
    expect(rec.status).toBe(200);
    expect(rec.body).toBe("RRF2");
  });

  it("refuses path traversal in every spelling", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/recordings/0/../../secret.txt",
      "/%2e%2e%2f%2e%2e%2fetc/passwd",
      "/....//secret.txt",
    ]) {
      const res = await rawGet(base, path);
      expect(res.body, path).not.toContain("top secret");
      expect(res.status, path).toBe(404);
    }
  });

  it("refuses a Host that is not an address of this server (DNS rebinding) with 421", async () => {
    const { port } = new URL(base);
    const get = (host: string): Promise<{ status: number; body: string }> =>
      getWithHost(base, "/recordings/0/rec%20one.rrd", host);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "localhost"]) {
      const res = await get(host);
      expect(res.status, host).toBe(200);
      expect(res.body).toBe("RRF2");
    }
    for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`, "attacker.test"]) {
      const res = await get(host);
      expect(res.status, host).toBe(421);
      expect(res.body).not.toContain("RRF2");
      expect(res.body).toContain("DNS rebinding");
    }
  });

  it("serves only GET and HEAD", async () => {
    const { hostname, port } = new URL(base);
    const status = await new Promise<number>((resolve) => {
      const req = request({ hostname, port, path: "/", method: "POST" }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(405);
  });
});

describe("iris view", () => {
  it("accepts local files and http(s) URLs, and refuses other schemes", () => {
    expect(classifySource("https://example.invalid/a.rrd")).toEqual({
      kind: "url",
      url: "https://example.invalid/a.rrd",
    });
    expect(classifySource("http://127.0.0.1/a.rrd").kind).toBe("url");
    for (const bad of ["file:///etc/passwd", "javascript:alert(1)", "ftp://host/a.rrd", "data:,x"]) {
      expect(() => classifySource(bad), bad).toThrow(/only http\(s\) URLs and local files/);
    }
    expect(() => classifySource("/no/such/file.rrd")).toThrow(/no such file/);
  });

  it("serves the built viewer with ?url= for each recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iris-view2-"));
    const file = join(dir, "a.rrd");
    writeFileSync(file, new Uint8Array([1, 2, 3]));
    const { url, server } = await startViewer(
      parseArgs(
        [file, "https://example.invalid/b.rrd", "--port", "0", "--allow-host", "box.lan"],
        viewSpec.options,
      ),
    );
    try {
      const page = new URL(url);
      expect(page.searchParams.getAll("url")).toEqual([
        "/recordings/0/a.rrd",
        "https://example.invalid/b.rrd",
      ]);
      const html = await rawGet(url, "/");
      expect(html.body).toContain('src="./iris-viewer.js"');
      const port = new URL(url).port;
      expect((await getWithHost(url, "/", `box.lan:${port}`)).status).toBe(200);
      expect((await getWithHost(url, "/", `other.lan:${port}`)).status).toBe(421);
      const js = await rawGet(url, "/iris-viewer.js");
      expect(js.status).toBe(200);
      expect(js.body.length).toBeGreaterThan(10_000);
      // The whole viewer stays within 1 MB gzip (issue 14); 176 kB on 2026-12-02.
      expect(gzipSync(new TextEncoder().encode(js.body)).length).toBeLessThanOrEqual(1_000_000);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("passes --memory-budget to the page as its on-demand budget, and refuses a bad size", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iris-view3-"));
    const file = join(dir, "a.rrd");
    writeFileSync(file, new Uint8Array([1, 2, 3]));
    for (const [flag, mib] of [
      ["64MiB", "64"],
      ["1GiB", "1024"],
      ["3145728", "3"],
      ["100MB", String(100e6 / 1024 / 1024)],
    ] as const) {
      const { url, server } = await startViewer(
        parseArgs([file, "--port", "0", "--memory-budget", flag], viewSpec.options),
      );
      await server.close();
      expect(new URL(url).searchParams.get("memoryBudgetMB"), flag).toBe(mib);
    }
    const plain = await startViewer(parseArgs([file, "--port", "0"], viewSpec.options));
    await plain.server.close();
    expect(new URL(plain.url).searchParams.has("memoryBudgetMB")).toBe(false);
    for (const bad of ["lots", "-5MiB", "0"])
      await expect(
        startViewer(parseArgs([file, "--port", "0", "--memory-budget", bad], viewSpec.options)),
        bad,
      ).rejects.toThrow(`--memory-budget needs a size like 512MiB, got ${bad}`);
  }, 120_000);
});
