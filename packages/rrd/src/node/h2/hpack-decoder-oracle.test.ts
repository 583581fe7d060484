// Independent oracle for the HPACK decoder: Node's own HTTP/2 server (nghttp2's encoder, which uses Huffman
// coding, the dynamic table and never-indexed literals) answers several requests on one connection. A raw
// client written here (no HPACK decoding of its own) captures each response's header block; one HpackDecoder
// decodes them in arrival order and must give back exactly what the server was told to send.
import * as http2 from "node:http2";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const RESPONSES = 10;
const VISIBLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
const DATE = "Thu, 03 Dec 2026 07:00:00 GMT";

/** What the server sends for request `i` (besides :status 200), as [name, value] in order. */
function responseHeaders(i: number): [string, string][] {
  const rotated = VISIBLE.slice(i * 7) + VISIBLE.slice(0, i * 7);
  return [
    ["content-type", "application/grpc"],
    ["date", DATE],
    ["x-visible", VISIBLE], // the same in every response: indexed after the first
    ["x-visible-rotated", rotated], // new every time: fills the table and evicts older entries
    ["x-spaced", `a b\tc ${i} ${VISIBLE.slice(i, i + 20)} z`],
    ["x-big", `${"v".repeat(500 + 37 * i)}${i}`],
    ["x-request", String(i)],
    ["x-secret", `token-${i % 3}`], // sensitive: never indexed
    ["set-cookie", `a=${i % 2}`],
    ["set-cookie", "b=2"],
  ];
}

async function startServer(): Promise<number> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => sessions.add(s));
  server.on("stream", (stream, headers) => {
    const i = Number(headers["x-i"]);
    const out: http2.OutgoingHttpHeaders = { ":status": 200 };
    for (const [name, value] of responseHeaders(i)) {
      const previous = out[name];
      out[name] =
        previous === undefined
          ? value
          : [...(Array.isArray(previous) ? previous : [String(previous)]), value];
    }
    stream.respond(Object.assign(out, { [http2.sensitiveHeaders]: ["x-secret"] }), { endStream: true });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function frame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (payload.length << 8) | type);
  out[4] = flags;
  view.setUint32(5, streamId);
  out.set(payload, 9);
  return out;
}

/** A request header block of literal-without-indexing fields with new names and plain strings (RFC 7541 §6.2.2). */
function requestBlock(fields: [string, string][]): Uint8Array {
  const bytes: number[] = [];
  for (const [name, value] of fields) {
    bytes.push(
      0x00,
      name.length,
      ...Buffer.from(name, "latin1"),
      value.length,
      ...Buffer.from(value, "latin1"),
    );
  }
  return Uint8Array.from(bytes);
}

const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;

/**
 * Opens one connection, sends `count` GET requests, and resolves with each response's header block
 * (HEADERS + CONTINUATION payloads joined, padding and priority removed) in arrival order.
 */
function captureResponseBlocks(
  port: number,
  count: number,
  headerTableSize: number | undefined,
): Promise<{ streamId: number; block: Uint8Array }[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    cleanup.push(() => socket.destroy());
    const blocks: { streamId: number; block: Uint8Array }[] = [];
    let pending = Buffer.alloc(0);
    let open: { streamId: number; parts: Uint8Array[] } | undefined;
    socket.on("error", reject);
    socket.on("connect", () => {
      // SETTINGS_HEADER_TABLE_SIZE (0x1), if asked for; otherwise an empty SETTINGS frame.
      const settings = new Uint8Array(headerTableSize === undefined ? 0 : 6);
      if (headerTableSize !== undefined) new DataView(settings.buffer).setUint32(2, headerTableSize);
      settings[1] = headerTableSize === undefined ? 0 : 1;
      socket.write(Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"));
      socket.write(frame(0x4, 0, 0, settings));
      for (let i = 0; i < count; i++) {
        const block = requestBlock([
          [":method", "GET"],
          [":scheme", "http"],
          [":path", `/r${i}`],
          [":authority", `127.0.0.1:${port}`],
          ["x-i", String(i)],
        ]);
        socket.write(frame(0x1, END_STREAM | END_HEADERS, 2 * i + 1, block));
      }
    });
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 9) {
        const length = pending.readUIntBE(0, 3);
        if (pending.length < 9 + length) break;
        const [type, flags] = [pending[3] ?? 0, pending[4] ?? 0];
        const streamId = pending.readUInt32BE(5) & 0x7fffffff;
        let payload: Uint8Array = pending.subarray(9, 9 + length);
        pending = pending.subarray(9 + length);
        if (type === 0x4 && (flags & 0x1) === 0) socket.write(frame(0x4, 0x1, 0, new Uint8Array(0)));
        if (type === 0x1) {
          const padLength = flags & PADDED ? (payload[0] ?? 0) : 0;
          payload = payload.subarray(flags & PADDED ? 1 : 0, payload.length - padLength);
          if (flags & PRIORITY) payload = payload.subarray(5);
          open = { streamId, parts: [payload] };
        } else if (type === 0x9 && open !== undefined) {
          open.parts.push(payload);
        } else if (type !== 0x9) {
          continue;
        } else {
          reject(new Error(`CONTINUATION on stream ${streamId} without HEADERS`));
        }
        if (flags & END_HEADERS && open !== undefined) {
          blocks.push({ streamId: open.streamId, block: Buffer.concat(open.parts) });
          open = undefined;
          if (blocks.length === count) resolve(blocks);
        }
      }
    });
  });
}

describe("HpackDecoder against Node's HTTP/2 server (nghttp2's HPACK encoder)", () => {
  for (const headerTableSize of [undefined, 512]) {
    const label =
      headerTableSize === undefined ? "the default 4096-byte table" : `a ${headerTableSize}-byte table`;
    it(`decodes ${RESPONSES} responses on one connection with ${label}`, async () => {
      const port = await startServer();
      const captured = await captureResponseBlocks(port, RESPONSES, headerTableSize);
      const decoder = new HpackDecoder(
        headerTableSize === undefined ? {} : { maxTableBytes: headerTableSize },
      );
      let sawSecret = false;
      for (const { streamId, block } of captured) {
        const i = (streamId - 1) / 2;
        const fields = decoder.decode(block);
        expect(fields[0]).toEqual([":status", "200"]);
        // Node may order regular fields differently from the object it was given; HPACK keeps its order.
        const sorted = (list: [string, string][]) =>
          [...list].sort((a, b) => (a.join("\0") < b.join("\0") ? -1 : 1));
        expect(sorted(fields.slice(1))).toEqual(sorted(responseHeaders(i)));
        // The long value went over the wire Huffman-coded, not as plain text.
        expect(Buffer.from(block).includes("vvvvvvvvvv")).toBe(false);
        sawSecret ||= decoder.dynamicTableEntries().some(([name]) => name === "x-secret");
      }
      // The dynamic table was used, evicted early entries and never held the sensitive field.
      const table = decoder.dynamicTableEntries();
      expect(table.length).toBeGreaterThan(0);
      expect(decoder.dynamicTableBytes).toBeLessThanOrEqual(headerTableSize ?? 4096);
      expect(table).not.toContainEqual(["x-visible-rotated", VISIBLE]);
      expect(sawSecret).toBe(false);
    });
  }
});
