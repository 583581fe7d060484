import { request } from "node:http";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ViewerServer } from "@iris/server";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

function get(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const parts: Uint8Array[] = [];
      res.on("data", (d: Uint8Array) => parts.push(d));
      res.on("end", () => {
        const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          body.set(p, at);
          at += p.length;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the viewer HTTP server's Range requests (what lazy loading of large recordings uses)", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-range-"));
  const small = join(dir, "small.rrd");
  const big = join(dir, "big.rrd");
  const content = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  const bigSize = 5 * 2 ** 30 + 7; // sparse: only the marker bytes use disk
  const bigMarkerAt = 4 * 2 ** 30 + 3; // past 2^32
  let server: ViewerServer;
  let base: string;

  beforeAll(async () => {
    mkdirSync(join(dir, "viewer"));
    writeFileSync(join(dir, "viewer", "index.html"), "<!doctype html>viewer");
    writeFileSync(small, content);
    const fd = openSync(big, "w");
    writeSync(fd, new Uint8Array([1, 2, 3, 4, 5]), 0, 5, bigMarkerAt);
    writeSync(fd, new Uint8Array([9]), 0, 1, bigSize - 1);
    closeSync(fd);
    server = new ViewerServer({ viewerDir: join(dir, "viewer"), port: 0 });
    server.addFile(small);
    server.addFile(big);
    base = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const smallPath = "/recordings/0/small.rrd";
  const bigPath = "/recordings/1/big.rrd";

  it("says it accepts byte ranges and answers one range with 206 and Content-Range", async () => {
    const whole = await get(base, smallPath, {});
    expect(whole.status).toBe(200);
    expect(whole.headers["accept-ranges"]).toBe("bytes");
    expect(whole.body).toEqual(content);
    for (const [header, first, last] of [
      ["bytes=0-0", 0, 0],
      ["bytes=10-19", 10, 19],
      ["bytes=990-", 990, 999],
      ["bytes=-16", 984, 999],
      ["bytes=995-5000", 995, 999],
      ["bytes=-5000", 0, 999],
    ] as const) {
      const res = await get(base, smallPath, { range: header });
      expect(res.status, header).toBe(206);
      expect(res.headers["content-range"], header).toBe(`bytes ${first}-${last}/1000`);
      expect(res.headers["content-length"], header).toBe(String(last - first + 1));
      expect(res.body, header).toEqual(content.subarray(first, last + 1));
    }
    const head = await get(base, smallPath, { range: "bytes=10-19" }, "HEAD");
    expect(head.status).toBe(206);
    expect(head.headers["content-range"]).toBe("bytes 10-19/1000");
    expect(head.body.length).toBe(0);
  });

  it("serves exact bytes at offsets past 4 GiB of a multi-GB file", async () => {
    const res = await get(base, bigPath, { range: `bytes=${bigMarkerAt - 1}-${bigMarkerAt + 5}` });
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes ${bigMarkerAt - 1}-${bigMarkerAt + 5}/${bigSize}`);
    expect([...res.body]).toEqual([0, 1, 2, 3, 4, 5, 0]);
    const tail = await get(base, bigPath, { range: "bytes=-2" });
    expect(tail.headers["content-range"]).toBe(`bytes ${bigSize - 2}-${bigSize - 1}/${bigSize}`);
    expect([...tail.body]).toEqual([0, 9]);
    const head = await get(base, bigPath, {}, "HEAD");
    expect(head.headers["content-length"]).toBe(String(bigSize));
  });

  it("answers hostile and unsatisfiable ranges with 416, Content-Range bytes */size and no file bytes", async () => {
    for (const header of [
      "bytes=1000-",
      "bytes=1000-2000",
      "bytes=99999999999999999999999999-",
      "bytes=-0",
      "bytes=5-3",
      "bytes=-",
      "bytes=abc",
      "bytes=-1-2",
      "bytes=0-1,5-9",
      `bytes=${"0-,".repeat(5000)}`,
      "bytes=1e3-",
      "bytes=\u00a01-2",
    ]) {
      const res = await get(base, smallPath, { range: header });
      expect(res.status, header.slice(0, 40)).toBe(416);
      expect(res.headers["content-range"], header.slice(0, 40)).toBe("bytes */1000");
      expect(new TextDecoder().decode(res.body)).toMatch(/^range not satisfiable: /);
    }
  });

  it("ignores a Range in another unit (RFC 9110) and keeps refusing unregistered files", async () => {
    const res = await get(base, smallPath, { range: "items=0-1" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(content);
    expect((await get(base, "/recordings/9/x.rrd", { range: "bytes=0-1" })).status).toBe(404);
  });
});
