import { describe, expect, it } from "vitest";
import { openHttpRangeSource } from "./http-range-source.ts";
import { LazySourceError } from "./lazy-source-error.ts";

const FILE = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);

/** A fake server over FILE; `tamper` can change each answer. */
function server(
  tamper?: (range: string, response: { status: number; headers: Headers; body: Uint8Array }) => void,
) {
  const ranges: string[] = [];
  const fetch = (_url: string, init: { headers: Record<string, string> }): Promise<Response> => {
    const range = init.headers["Range"]!;
    ranges.push(range);
    const m = /^bytes=(\d*)-(\d*)$/.exec(range)!;
    const first = m[1] === "" ? Math.max(0, FILE.length - Number(m[2])) : Number(m[1]);
    const last = m[1] === "" ? FILE.length - 1 : Math.min(Number(m[2]), FILE.length - 1);
    const answer = {
      status: 206,
      headers: new Headers({ "content-range": `bytes ${first}-${last}/${FILE.length}` }),
      body: FILE.slice(first, last + 1),
    };
    tamper?.(range, answer);
    return Promise.resolve(new Response(answer.body, { status: answer.status, headers: answer.headers }));
  };
  return { fetch, ranges };
}

describe("openHttpRangeSource", () => {
  it("learns the size from a first range, keeps head and tail, and reads any range with one request", async () => {
    const { fetch, ranges } = server();
    const opened = await openHttpRangeSource("http://x/a.rrd", { fetch, tailBytes: 1000, headBytes: 100 });
    expect(opened.kind).toBe("ranged");
    if (opened.kind !== "ranged") return;
    const source = opened.source;
    expect(source.byteLength).toBe(5000);
    expect(ranges).toEqual(["bytes=0-99", "bytes=4000-4999"]);
    expect(await source.read(4990, 10)).toEqual(FILE.subarray(4990));
    expect(await source.read(10, 20)).toEqual(FILE.subarray(10, 30));
    expect(ranges.length).toBe(2); // both served from the kept head and tail
    expect(await source.read(2000, 300)).toEqual(FILE.subarray(2000, 2300));
    expect(ranges.at(-1)).toBe("bytes=2000-2299");
    expect(source.counters).toEqual({ requests: 3, bytesRead: 1000 + 100 + 300 });
    await expect(source.read(4999, 2)).rejects.toMatchObject({ kind: "out-of-bounds" });
    await expect(source.read(-1, 2)).rejects.toMatchObject({ kind: "out-of-bounds" });
  });

  it("hands back the whole response when the server ignores Range (200), to be streamed instead", async () => {
    const { fetch } = server((_range, r) => {
      r.status = 200;
      r.body = FILE;
      r.headers.delete("content-range");
    });
    const opened = await openHttpRangeSource("http://x/a.rrd", { fetch });
    expect(opened.kind).toBe("whole");
    if (opened.kind === "whole") expect(new Uint8Array(await opened.response!.arrayBuffer())).toEqual(FILE);
    // A cross-origin server that does not expose Content-Range: read whole, with a new request.
    const hidden = server((_range, r) => r.headers.delete("content-range"));
    expect(await openHttpRangeSource("http://x/a.rrd", { fetch: hidden.fetch })).toEqual({
      kind: "whole",
      response: undefined,
    });
  });

  it("refuses lying or failing servers with typed errors naming what was wrong", async () => {
    const cases: [string, Parameters<typeof server>[0], string, RegExp][] = [
      [
        "no Content-Range later",
        (r, a) => r === "bytes=100-199" && a.headers.delete("content-range"),
        "range-unsupported",
        /got none/,
      ],
      [
        "unknown size",
        (_r, a) => a.headers.set("content-range", "bytes 0-9/*"),
        "range-unsupported",
        /bytes 0-9\/\*/,
      ],
      [
        "range past the end",
        (_r, a) => a.headers.set("content-range", "bytes 0-99/50"),
        "bad-response",
        /not a range inside/,
      ],
      [
        "other bytes than asked",
        (r, a) => r === "bytes=100-199" && a.headers.set("content-range", "bytes 101-200/5000"),
        "bad-response",
        /asked for bytes 100-199\/5000, got 101-200\/5000/,
      ],
      [
        "short body",
        (r, a) => r === "bytes=100-199" && (a.body = a.body.subarray(0, 50)),
        "bad-response",
        /expected 100 body bytes, got 50/,
      ],
      ["404", (_r, a) => (a.status = 404), "http-failed", /expected HTTP 206, got 404/],
      ["200 later", (r, a) => r === "bytes=100-199" && (a.status = 200), "range-unsupported", /whole body/],
    ];
    for (const [name, tamper, kind, message] of cases) {
      const attempt = async (): Promise<void> => {
        const opened = await openHttpRangeSource("http://x/a.rrd", {
          fetch: server(tamper).fetch,
          tailBytes: 10,
          headBytes: 10,
        });
        if (opened.kind === "ranged") await opened.source.read(100, 100);
      };
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(LazySourceError);
      expect((error as LazySourceError).kind, name).toBe(kind);
      expect((error as LazySourceError).message, name).toMatch(message);
    }
    const down = openHttpRangeSource("http://x/a.rrd", {
      fetch: () => Promise.reject(new TypeError("connection refused")),
    });
    await expect(down).rejects.toMatchObject({ kind: "http-failed", message: /connection refused/ });
  });
});
