import {
  type AsyncRandomAccessSource,
  type SourceCounters,
  SpanCache,
  checkBounds,
} from "./async-random-access-source.ts";
import { LazySourceError } from "./lazy-source-error.ts";

/** The `fetch` this module needs (the global one by default; tests pass a counting or faulty one). */
export type FetchFunction = (url: string, init: { headers: Record<string, string> }) => Promise<Response>;

export interface HttpRangeSourceOptions {
  fetch?: FetchFunction;
  /** Bytes read from the end when opening (the StreamFooter and, usually, the whole RrdFooter); default 1 MiB. */
  tailBytes?: number;
  /** Bytes read from the start when opening (the stream header and SetStoreInfo); default 64 KiB. */
  headBytes?: number;
}

/** An HTTP resource read with Range requests. */
export interface HttpRangeSource extends AsyncRandomAccessSource {
  readonly url: string;
}

export type OpenHttpRangeResult =
  | { kind: "ranged"; source: HttpRangeSource }
  /**
   * The server ignored the Range header and is sending the whole file (200; `response`: read its body as a stream,
   * nothing is lost), or answered without a Content-Range the page may read (a cross-origin server that does not
   * expose it; `response` undefined: fetch the file again without Range).
   */
  | { kind: "whole"; response: Response | undefined };

/**
 * Opens `url` for reads at any offset with HTTP Range requests: the first request (`bytes=0-…`, a range that needs
 * no CORS preflight) keeps the head and learns the size from `Content-Range`, a second keeps the tail (where an
 * `.rrd`'s footer is). Every later `read` is one `bytes=a-b` request, checked for status 206, the exact
 * Content-Range and length. Throws `LazySourceError` for failed requests and inconsistent answers.
 */
export async function openHttpRangeSource(
  url: string,
  options: HttpRangeSourceOptions = {},
): Promise<OpenHttpRangeResult> {
  const fetcher: FetchFunction = options.fetch ?? ((u, init) => fetch(u, init));
  const counters: SourceCounters = { requests: 0, bytesRead: 0 };
  const tailBytes = options.tailBytes ?? 1 << 20;
  const headBytes = Math.max(1, options.headBytes ?? 64 << 10);
  counters.requests += 1;
  const first = await request(fetcher, url, `bytes=0-${headBytes - 1}`);
  if (first.status === 200) return { kind: "whole", response: first };
  if (first.status === 416) {
    await first.body?.cancel();
    throw new LazySourceError("bad-response", `${url} is empty (416 for its first ${headBytes} bytes)`);
  }
  expectStatus(first, url, 206);
  if (first.headers.get("content-range") === null) {
    await first.body?.cancel();
    return { kind: "whole", response: undefined };
  }
  const range = parseContentRange(first.headers.get("content-range"), url);
  if (range.first !== 0) {
    await first.body?.cancel();
    throw new LazySourceError(
      "bad-response",
      `${url}: asked for bytes 0-${headBytes - 1}, got ${range.first}-${range.last}`,
    );
  }
  const head = await body(first, url, range.last + 1);
  counters.bytesRead += head.length;
  const byteLength = range.size;
  const cache = new SpanCache();
  cache.add(0, head);

  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    checkBounds(offset, length, byteLength);
    if (length === 0) return new Uint8Array(0);
    const cached = cache.get(offset, length);
    if (cached) return cached;
    counters.requests += 1;
    const response = await request(fetcher, url, `bytes=${offset}-${offset + length - 1}`);
    if (response.status === 200) {
      await response.body?.cancel();
      throw new LazySourceError(
        "range-unsupported",
        `${url} answered a Range request with the whole body (200)`,
      );
    }
    expectStatus(response, url, 206);
    const got = parseContentRange(response.headers.get("content-range"), url);
    if (got.first !== offset || got.last !== offset + length - 1 || got.size !== byteLength) {
      await response.body?.cancel();
      throw new LazySourceError(
        "bad-response",
        `${url}: asked for bytes ${offset}-${offset + length - 1}/${byteLength}, got ${got.first}-${got.last}/${got.size}`,
      );
    }
    const bytes = await body(response, url, length);
    counters.bytesRead += bytes.length;
    return bytes;
  };

  const tailStart = Math.max(head.length, byteLength - tailBytes);
  if (tailStart < byteLength) cache.add(tailStart, await read(tailStart, byteLength - tailStart));
  return { kind: "ranged", source: { url, byteLength, counters, read } };
}

async function request(fetcher: FetchFunction, url: string, range: string): Promise<Response> {
  try {
    return await fetcher(url, { headers: { Range: range } });
  } catch (cause) {
    throw new LazySourceError("http-failed", `cannot fetch ${url} (Range: ${range}): ${String(cause)}`, {
      cause,
    });
  }
}

function expectStatus(response: Response, url: string, status: number): void {
  if (response.status !== status) {
    void response.body?.cancel();
    throw new LazySourceError(
      "http-failed",
      `${url}: expected HTTP ${status}, got ${response.status} ${response.statusText}`,
    );
  }
}

/** `bytes first-last/size` (a known size is required: a lazy reader must know where the file ends). */
export function parseContentRange(
  header: string | null,
  url: string,
): { first: number; last: number; size: number } {
  const match = header === null ? null : /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16})$/.exec(header.trim());
  if (!match) {
    throw new LazySourceError(
      "range-unsupported",
      `${url}: expected Content-Range "bytes first-last/size", got ${header === null ? "none" : JSON.stringify(header)}`,
    );
  }
  const [first, last, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (last < first || last >= size) {
    throw new LazySourceError(
      "bad-response",
      `${url}: Content-Range ${header} is not a range inside the file`,
    );
  }
  return { first, last, size };
}

async function body(response: Response, url: string, expected: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new LazySourceError("http-failed", `${url}: the response body broke off: ${String(cause)}`, {
      cause,
    });
  }
  if (bytes.length !== expected) {
    throw new LazySourceError("bad-response", `${url}: expected ${expected} body bytes, got ${bytes.length}`);
  }
  return bytes;
}
