/**
 * `readMessages` (@iris/sdk/node) against a raw HTTP/2 server written in the test (raw-h2-server.ts), which
 * chooses every frame: legal but unusual framing must deliver exactly the messages sent; flow control must hold
 * in both directions; and every violation, reset, or silence must end in a `LiveError` of the right kind (or, on
 * abort, quietly) — never a hang, never unbounded buffering. Independent of how the client speaks HTTP/2.
 */
import type { RrdMessage } from "@iris/rrd";
import { LiveError } from "@iris/sdk";
import { readMessages } from "@iris/sdk/node";
import { concatBytes } from "@iris/types";
import { afterEach, describe, expect, it } from "vitest";
import { responseFrame, storeInfo } from "./read-messages-fixtures.ts";
import {
  Flag,
  FrameType,
  type H2Frame,
  type RawH2Connection,
  type RawH2Server,
  Setting,
  frameBytes,
  hpackBlock,
  padded,
  startRawH2Server,
} from "./raw-h2-server.ts";

type Options = NonNullable<Parameters<typeof readMessages>[1]>;
type Headers = readonly (readonly [string, string])[];

const RESPONSE: Headers = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];
const OK: Headers = [["grpc-status", "0"]];

const servers: RawH2Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A raw server whose every connection is answered by `answer` once the client's request has arrived. */
async function serve(
  answer: (c: RawH2Connection, streamId: number) => Promise<void> | void,
  settings?: readonly (readonly [number, number])[] | null,
): Promise<RawH2Server> {
  const server = await startRawH2Server(async (c) => answer(c, await c.request()), settings);
  servers.push(server);
  return server;
}

/** `bytes` in pieces of `size` (the last may be shorter). */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

const names = (messages: readonly RrdMessage[]): string[] =>
  messages.map((m) => (m.kind === "setStoreInfo" ? m.storeId.recordingId : m.kind));

/**
 * Reads `url` to its end: the messages, and the `LiveError` it ended with (if any). Fails the test when the
 * reader neither ends nor fails within `timeoutMs` (it is aborted then) or throws something else.
 */
async function read(
  url: string,
  options: Options = {},
  { timeoutMs = 10_000, onMessage }: { timeoutMs?: number; onMessage?: (m: RrdMessage) => void } = {},
): Promise<{ messages: RrdMessage[]; error: LiveError | undefined }> {
  const abort = new AbortController();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    abort.abort();
  }, timeoutMs);
  const messages: RrdMessage[] = [];
  let error: LiveError | undefined;
  try {
    for await (const m of readMessages(url, { ...options, signal: abort.signal })) {
      if (onMessage) onMessage(m);
      else messages.push(m);
    }
  } catch (e) {
    expect(e).toBeInstanceOf(LiveError);
    error = e as LiveError;
  } finally {
    clearTimeout(timer);
  }
  if (hung)
    throw new Error(`readMessages neither ended nor failed in ${timeoutMs} ms (${messages.length} read)`);
  return { messages, error };
}

/** Reads `url` expecting exactly the messages named `expected` and a quiet end. */
async function expectMessages(server: RawH2Server, expected: readonly string[], options: Options = {}) {
  const { messages, error } = await read(server.url, options);
  expect(error).toBeUndefined();
  expect(names(messages)).toEqual(expected);
  expect(server.errors).toEqual([]);
  return messages;
}

/** Reads `url` expecting a `LiveError` of `kind` whose message matches `pattern`; returns what was read. */
async function expectFailure(
  server: RawH2Server,
  kind: LiveError["kind"],
  pattern: RegExp,
  options: Options = {},
): Promise<RrdMessage[]> {
  const { messages, error } = await read(server.url, options);
  expect(error, "readMessages should have failed").toBeDefined();
  expect({ kind: error!.kind, message: error!.message }).toEqual({
    kind,
    message: expect.stringMatching(pattern) as unknown,
  });
  return messages;
}

const twoMessages = (): Uint8Array =>
  concatBytes([responseFrame(storeInfo("a")), responseFrame(storeInfo("b"))]);

describe("readMessages: unusual but legal framing delivers exactly what was sent", () => {
  it("DATA frames of one byte each", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      for (const byte of twoMessages()) c.send(FrameType.DATA, 0, id, Uint8Array.of(byte));
      c.sendHeaders(id, OK, Flag.END_STREAM);
    });
    await expectMessages(server, ["a", "b"]);
  });

  it("padded DATA frames (0 to 255 bytes of padding), and empty DATA frames, padded or not", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      pieces(twoMessages(), 7).forEach((piece, i) => {
        c.send(FrameType.DATA, Flag.PADDED, id, padded(piece, (i * 37) % 256));
        c.send(FrameType.DATA, 0, id); // no payload at all
      });
      c.send(FrameType.DATA, Flag.PADDED, id, padded(new Uint8Array(0), 255));
      c.sendHeaders(id, OK, Flag.END_STREAM);
    });
    await expectMessages(server, ["a", "b"]);
  });

  it("response HEADERS and trailers with the PRIORITY flag and padding", async () => {
    const withPriority = (block: Uint8Array, padding: number): Uint8Array => {
      // Pad length, then E + stream dependency (0: the root) and weight, then the block, then the padding.
      const priority = Uint8Array.of(0x80, 0, 0, 0, 200);
      return padded(concatBytes([priority, block]), padding);
    };
    const server = await serve((c, id) => {
      const flags = Flag.END_HEADERS | Flag.PADDED | Flag.PRIORITY;
      c.send(FrameType.HEADERS, flags, id, withPriority(hpackBlock(RESPONSE), 100));
      c.send(FrameType.DATA, 0, id, twoMessages());
      c.send(FrameType.HEADERS, flags | Flag.END_STREAM, id, withPriority(hpackBlock(OK), 3));
    });
    await expectMessages(server, ["a", "b"]);
  });

  it("response headers and trailers split across CONTINUATION frames", async () => {
    // Into 6 pieces: more than 8 CONTINUATION frames per block is refused by some clients (nghttp2's limit
    // against CONTINUATION floods).
    const split = (c: RawH2Connection, id: number, headers: Headers, endStream: boolean): void => {
      const block = hpackBlock(headers);
      const [first, ...rest] = pieces(block, Math.ceil(block.length / 6));
      c.send(FrameType.HEADERS, endStream ? Flag.END_STREAM : 0, id, first);
      rest.forEach((piece, i) => {
        c.send(FrameType.CONTINUATION, i === rest.length - 1 ? Flag.END_HEADERS : 0, id, piece);
      });
    };
    const server = await serve((c, id) => {
      split(c, id, [...RESPONSE, ["x-long", "v".repeat(300)]], false);
      c.send(FrameType.DATA, 0, id, twoMessages());
      split(c, id, [...OK, ["x-trailer", "t".repeat(40)]], true);
    });
    await expectMessages(server, ["a", "b"]);
  });

  it("an error status in trailers split across CONTINUATION frames, after the messages", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.DATA, 0, id, twoMessages());
      const block = hpackBlock([
        ["grpc-status", "14"],
        ["grpc-message", "proxy%20restarting"],
      ]);
      const [first, ...rest] = pieces(block, Math.ceil(block.length / 5));
      c.send(FrameType.HEADERS, Flag.END_STREAM, id, first);
      rest.forEach((p, i) =>
        c.send(FrameType.CONTINUATION, i === rest.length - 1 ? Flag.END_HEADERS : 0, id, p),
      );
    });
    const messages = await expectFailure(server, "status", /gRPC status 14: proxy restarting/);
    expect(names(messages)).toEqual(["a", "b"]);
  });

  it("a grpc-message with terminal escapes and other control characters reaches the error defused", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      c.sendHeaders(
        id,
        [
          ["grpc-status", "13"],
          ["grpc-message", "boom%1B%5B2J%1B%5D0%3Bpwned%07%0Anext%C2%9B"],
        ],
        Flag.END_STREAM,
      );
    });
    const { error } = await read(server.url);
    expect(error?.kind).toBe("status");
    expect(error?.message).toContain("gRPC status 13: boom");
    // No ESC, BEL, newline or C1 control character survives: a terminal that prints the message stays as it was.
    expect([...error!.message].filter((c) => c < " " || (c >= "\u007f" && c <= "\u009f"))).toEqual([]);
    expect(error?.message).toContain("[2J");
  });

  it("200 messages in one DATA frame, then a 300 KB message across DATA frames of 1000 bytes", async () => {
    const small = concatBytes(Array.from({ length: 200 }, (_, i) => responseFrame(storeInfo(`s${i}`))));
    expect(small.length).toBeLessThan(16_384); // one frame, within the initial window
    const big = new Uint8Array(300_000).map((_, i) => (i * 31) & 255);
    const server = await serve(async (c, id) => {
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.DATA, 0, id, small);
      c.consumeWindow(id, small.length);
      await c.sendFlowControlled(id, responseFrame(storeInfo("big", big)), { frameBytes: 1000 });
      c.sendHeaders(id, OK, Flag.END_STREAM);
    });
    const messages = await expectMessages(server, [...Array.from({ length: 200 }, (_, i) => `s${i}`), "big"]);
    const last = messages[200]!;
    const extra = last.kind === "setStoreInfo" ? last.storeSource?.extra : undefined;
    expect(Buffer.compare(extra!, big)).toBe(0);
  });

  it("PING, SETTINGS, PRIORITY, WINDOW_UPDATE and unknown frames interleaved: PINGs and SETTINGS acknowledged", async () => {
    const pings = [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), Uint8Array.of(255, 0, 255, 0, 9, 9, 9, 9)];
    const settings = Uint8Array.of(0, Setting.MAX_CONCURRENT_STREAMS, 0, 0, 0, 100, 0x7f, 0x7f, 1, 2, 3, 4);
    const acked = (payload: Uint8Array) => (f: H2Frame) =>
      f.type === FrameType.PING && f.flags === Flag.ACK && Buffer.compare(f.payload, payload) === 0;
    const settingsAcks = (c: RawH2Connection): number =>
      c.frames.filter((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK).length;
    const server = await serve(async (c, id) => {
      await c.waitFor(() => settingsAcks(c) === 1, "the ACK of the server's first SETTINGS");
      const [first, second, third] = pieces(twoMessages(), Math.ceil(twoMessages().length / 3));
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.PING, 0, 0, pings[0]);
      c.send(FrameType.DATA, 0, id, first);
      c.send(FrameType.SETTINGS, 0, 0, settings); // MAX_CONCURRENT_STREAMS 100 and an unknown setting 0x7f7f
      c.send(FrameType.PRIORITY, 0, id, Uint8Array.of(0, 0, 0, 0, 15));
      c.send(0xfa, 0xff, 0, Uint8Array.of(1, 2, 3)); // an unknown frame type: ignored (RFC 9113 §4.1)
      c.send(FrameType.DATA, 0, id, second);
      c.send(0xfb, 0, id, new Uint8Array(10));
      c.send(FrameType.WINDOW_UPDATE, 0, 0, Uint8Array.of(0, 0, 1, 0));
      c.send(FrameType.PING, 0, 0, pings[1]);
      c.send(FrameType.DATA, 0, id, third);
      await c.waitFor(acked(pings[0]!), "the ACK of PING 1");
      await c.waitFor(acked(pings[1]!), "the ACK of PING 2");
      await c.waitFor(() => settingsAcks(c) === 2, "the ACK of the second SETTINGS");
      c.sendHeaders(id, OK, Flag.END_STREAM);
    });
    await expectMessages(server, ["a", "b"]);
  });
});

describe("readMessages: flow control", () => {
  it.each([
    ["readMessages' default window", undefined],
    ["the HTTP/2 default window of 65,535 bytes", 65_535],
  ])(
    "a server honouring %s sends 100 MB through it: the client gives the window back as it reads",
    async (_, windowBytes) => {
      const count = 100;
      const extra = new Uint8Array(1 << 20);
      const server = await serve(async (c, id) => {
        c.sendHeaders(id, RESPONSE);
        for (let i = 0; i < count; i++) {
          extra[0] = i;
          await c.sendFlowControlled(id, responseFrame(storeInfo(`m${i}`, extra)));
        }
        c.sendHeaders(id, OK, Flag.END_STREAM);
      });
      const options: Options = windowBytes === undefined ? {} : { windowBytes };
      let i = 0;
      const onMessage = (m: RrdMessage): void => {
        expect(m.kind === "setStoreInfo" && m.storeId.recordingId).toBe(`m${i}`);
        const got = m.kind === "setStoreInfo" ? m.storeSource?.extra : undefined;
        expect([got?.length, got?.[0]]).toEqual([1 << 20, i]);
        i++;
      };
      const { error } = await read(server.url, options, { timeoutMs: 120_000, onMessage });
      expect(error).toBeUndefined();
      expect(server.errors).toEqual([]);
      expect(i).toBe(count);
      const updates = server.connections[0]!.frames.filter((f) => f.type === FrameType.WINDOW_UPDATE);
      expect(updates.some((f) => f.streamId === 0)).toBe(true);
      expect(updates.some((f) => f.streamId !== 0)).toBe(true);
    },
    180_000,
  );

  it("a consumer that stops pulling stops the server: no more than the window and a few messages leave it", async () => {
    const windowBytes = 1 << 20;
    const messageBytes = 256 * 1024;
    const count = 64; // 16 MiB offered
    let sent = 0;
    const server = await serve(async (c, id) => {
      c.sendHeaders(id, RESPONSE);
      const extra = new Uint8Array(messageBytes);
      for (let i = 0; i < count; i++) {
        const before = sent;
        const onFrame = (bytes: number): void => {
          sent = before + bytes;
        };
        await c.sendFlowControlled(id, responseFrame(storeInfo(`m${i}`, extra)), { onFrame });
      }
      c.sendHeaders(id, OK, Flag.END_STREAM);
    });
    const abort = new AbortController();
    const reader = readMessages(server.url, { windowBytes, bufferedMessages: 2, signal: abort.signal });
    expect((await reader.next()).done).toBe(false);
    // Wait until the server is blocked by the window (nothing sent for 500 ms).
    for (let last = -1; sent !== last;) {
      last = sent;
      await new Promise((r) => setTimeout(r, 500));
    }
    // The window, the messages queued for the consumer (2) and the one being received; not the 16 MiB offered.
    expect(sent).toBeLessThanOrEqual(windowBytes + 4 * (messageBytes + 100));
    let got = 1;
    for await (const m of reader) {
      expect(m.kind === "setStoreInfo" && m.storeId.recordingId).toBe(`m${got}`);
      got++;
    }
    expect(got).toBe(count);
  }, 60_000);

  it("more DATA than the client's window is a flow-control error (protocol)", async () => {
    const windowBytes = 65_535;
    const server = await serve(async (c, id) => {
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("first")));
      // The consumer holds the first message and pulls no more, so the client stops giving window back; then the
      // server sends four windows' worth of small messages without looking at the window.
      const small = concatBytes(Array.from({ length: 100 }, (_, i) => responseFrame(storeInfo(`m${i}`))));
      const frames = pieces(
        concatBytes(Array.from({ length: Math.ceil((4 * windowBytes) / small.length) }, () => small)),
        16_384,
      );
      for (const f of frames) if (!c.send(FrameType.DATA, 0, id, f)) await c.drained();
    });
    const abort = new AbortController();
    const reader = readMessages(server.url, { windowBytes, bufferedMessages: 1, signal: abort.signal });
    expect((await reader.next()).done).toBe(false);
    // The consumer resumes once the client has reset the stream or the connection (or after 5 s without).
    const refused = (f: H2Frame): boolean => f.type === FrameType.RST_STREAM || f.type === FrameType.GOAWAY;
    await server.connections[0]!.waitFor(refused, "RST_STREAM or GOAWAY", 5_000).catch(() => undefined);
    let error: unknown;
    const guard = setTimeout(() => abort.abort(), 10_000);
    try {
      while (!(await reader.next()).done);
    } catch (e) {
      error = e;
    }
    clearTimeout(guard);
    expect(error).toBeInstanceOf(LiveError);
    expect((error as LiveError).kind).toBe("protocol");
    expect((error as LiveError).message).toMatch(/flow.control|window/i);
  });
});

describe("readMessages: hostile servers fail with the right kind, without hanging or growing", () => {
  it.each([
    ["iris", "sent whole, one byte over", false],
    ["iris", "announcing 2^24-1 bytes, of which 100 follow: refused from its header alone", true],
    // node:http2 emits no event when nghttp2 refuses the frame (it sends GOAWAY and stops reading the socket).
    ["node", "sent whole, one byte over", false],
    ["node", "announcing 2^24-1 bytes, of which 100 follow: refused from its header alone", true],
  ] as const)(
    "http2Client %s: a DATA frame larger than the client's SETTINGS_MAX_FRAME_SIZE (%s)",
    async (http2Client, _, announceOnly) => {
      const server = await serve((c, id) => {
        c.sendHeaders(id, RESPONSE);
        const max = c.clientSettings.get(Setting.MAX_FRAME_SIZE) ?? 16_384;
        if (announceOnly) {
          const header = Uint8Array.of(0xff, 0xff, 0xff, FrameType.DATA, 0, 0, 0, 0, 0);
          new DataView(header.buffer).setUint32(5, id);
          c.write(concatBytes([header, new Uint8Array(100)])); // and nothing more: the connection stays open
        } else {
          c.send(FrameType.DATA, 0, id, new Uint8Array(max + 1));
        }
      });
      await expectFailure(server, "protocol", /frame.size|too large|MAX_FRAME_SIZE/i, { http2Client });
      await server.connections[0]!.whenClosed; // the client closed the connection, as RFC 9113 §5.4.1 asks
    },
  );

  it.each([
    ["acknowledges", true],
    ["never acknowledges", false],
  ])(
    "http2Client node, a server that %s PINGs: a stream idle for seconds between messages is no failure",
    async (_, acknowledgePings) => {
      const isPing = (f: H2Frame): boolean => f.type === FrameType.PING && (f.flags & Flag.ACK) === 0;
      const server = await serve(async (c, id) => {
        if (acknowledgePings) {
          c.onFrames = (frames) => {
            for (const f of frames) if (isPing(f)) c.send(FrameType.PING, Flag.ACK, 0, f.payload);
          };
        }
        c.sendHeaders(id, RESPONSE);
        c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("a")));
        // Idle long enough for the client's watch over node:http2 to look several times (its ticks are 500 ms).
        await new Promise((r) => setTimeout(r, 3_000));
        c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("b")));
        c.sendHeaders(id, OK, Flag.END_STREAM);
      });
      await expectMessages(server, ["a", "b"], { http2Client: "node" });
      // The watch sends a PING after the burst to see whether nghttp2 still runs; not one per look.
      expect(server.connections[0]!.frames.filter(isPing).length).toBeLessThanOrEqual(2);
    },
  );

  it("an endless CONTINUATION sequence: refused before the server has sent much (the block is not kept)", async () => {
    let sentBytes = 0;
    const server = await serve(async (c, id) => {
      c.send(FrameType.HEADERS, 0, id, hpackBlock(RESPONSE));
      const filler = hpackBlock(
        Array.from({ length: 15 }, (_, i) => [`x-filler-${i}`, "f".repeat(1000)] as const),
      );
      while (!c.closed && c.bytesWritten < 512 * 1024 ** 2) {
        if (!c.send(FrameType.CONTINUATION, 0, id, filler)) await c.drained();
      }
      sentBytes = c.bytesWritten;
    });
    await expectFailure(server, "protocol", /header|CONTINUATION/i);
    await server.connections[0]!.whenClosed;
    // The kernel's socket buffers hold a few MB; a client that kept reading the block would take all 512 MiB.
    expect(sentBytes).toBeLessThan(64 * 1024 ** 2);
  });

  it("an endless sequence of empty CONTINUATION frames: refused (each costs a fragment, not a byte)", async () => {
    let sentFrames = 0;
    const server = await serve(async (c, id) => {
      c.send(FrameType.HEADERS, 0, id, hpackBlock(RESPONSE));
      while (!c.closed && sentFrames < 5_000_000) {
        sentFrames++;
        if (!c.send(FrameType.CONTINUATION, 0, id, new Uint8Array(0))) await c.drained();
      }
    });
    await expectFailure(server, "protocol", /header|CONTINUATION/i);
    await server.connections[0]!.whenClosed;
    expect(sentFrames).toBeLessThan(5_000_000);
  });

  it("GOAWAY before the response (the request not processed): unreachable, saying so", async () => {
    const server = await serve((c) => {
      const debug = new TextEncoder().encode("shutting\u001b[2J down");
      c.send(FrameType.GOAWAY, 0, 0, concatBytes([Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0), debug])); // last stream 0, NO_ERROR
      c.close();
    });
    await expectFailure(server, "unreachable", /GOAWAY|go.?away|refused|closed/i);
    // Its debug text, when shown, arrives with the escape escaped.
    const { error } = await read(server.url);
    expect(error?.message).toContain('GOAWAY NO_ERROR (0) "shutting\\x1b[2J down"');
    expect([...(error?.message ?? "")].filter((ch) => ch < " ")).toEqual([]);
  });

  it("RST_STREAM after a message: the reset and its code are reported", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("a")));
      c.send(FrameType.RST_STREAM, 0, id, Uint8Array.of(0, 0, 0, 2)); // INTERNAL_ERROR
    });
    const messages = await expectFailure(server, "unreachable", /(code 2\b|INTERNAL_ERROR)/);
    expect(names(messages)).toEqual(["a"]);
  });

  it("malformed trailers (a CR LF in grpc-status, found by fuzz-h2): a protocol error, the stream reset", async () => {
    let connection: RawH2Connection | undefined;
    const server = await serve((c, id) => {
      connection = c;
      c.sendHeaders(id, RESPONSE);
      c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("a")));
      c.sendHeaders(id, [["grpc-status", "0\r\nx-injected: 1"]], Flag.END_STREAM);
    });
    const messages = await expectFailure(server, "protocol", /malformed response on stream 1: .*0xd/);
    expect(names(messages)).toEqual(["a"]);
    await connection!.whenClosed;
    // RST_STREAM PROTOCOL_ERROR (RFC 9113 §8.1.1: a stream error), not GOAWAY with an error
    const resets = connection!.frames.filter((f) => f.type === FrameType.RST_STREAM);
    expect(resets.map((f) => [f.streamId, f.payload[3]])).toEqual([[1, 1]]);
    const goaway = connection!.frames.find((f) => f.type === FrameType.GOAWAY);
    expect(goaway?.payload[7]).toBe(0); // NO_ERROR: the call is over, the connection was fine
  });

  it("the connection closed in the middle of a frame", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      const message = responseFrame(storeInfo("a", new Uint8Array(200)));
      c.write(frameBytes(FrameType.DATA, 0, id, message).subarray(0, 9 + 40)); // 40 of the bytes it announces
      c.close();
    });
    await expectFailure(server, "unreachable", /connection.*(closed|ended|reset|lost)|ECONNRESET/i);
  });

  it("the connection closed in the middle of a message (after whole frames)", async () => {
    const server = await serve((c, id) => {
      c.sendHeaders(id, RESPONSE);
      const message = responseFrame(storeInfo("b", new Uint8Array(5000)));
      c.send(FrameType.DATA, 0, id, responseFrame(storeInfo("a")));
      c.send(FrameType.DATA, 0, id, message.subarray(0, 3000));
      c.close();
    });
    const messages = await expectFailure(
      server,
      "unreachable",
      /connection.*(closed|ended|reset|lost)|ECONNRESET/i,
    );
    expect(names(messages)).toEqual(["a"]);
  });

  it("SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1", async () => {
    const server = await serve(() => undefined, [[Setting.INITIAL_WINDOW_SIZE, 2 ** 31]]);
    await expectFailure(server, "protocol", /INITIAL_WINDOW_SIZE|window|FLOW_CONTROL/i);
  });

  it("SETTINGS_MAX_FRAME_SIZE below 16,384", async () => {
    const server = await serve(() => undefined, [[Setting.MAX_FRAME_SIZE, 16_383]]);
    await expectFailure(server, "protocol", /MAX_FRAME_SIZE|frame size|PROTOCOL_ERROR/i);
  });

  it.each([
    ["after its SETTINGS and the request", []],
    ["sending nothing at all, not even SETTINGS", null],
  ] as const)(
    "a server that never answers (%s): aborting ends the iteration quietly and closes",
    async (_, settings) => {
      const server = await startRawH2Server(() => undefined, settings);
      servers.push(server);
      const abort = new AbortController();
      const got: RrdMessage[] = [];
      const reading = (async () => {
        for await (const m of readMessages(server.url, { signal: abort.signal })) got.push(m);
      })();
      const deadline = Date.now() + 10_000;
      while (server.connections.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      if (settings !== null) await server.connections[0]!.request();
      abort.abort();
      await expect(reading).resolves.toBeUndefined();
      expect(got).toEqual([]);
      await server.connections[0]!.whenClosed; // the client closed the connection (else: the test times out)
    },
  );
});
