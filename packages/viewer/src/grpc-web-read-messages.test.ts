// readMessages against hand-made gRPC-web responses, cut into chunks at every boundary (the real server: tests/live).
import { create, toBinary } from "@bufbuild/protobuf";
import { commonPb, grpcFrame, logMsgPb, sdkCommsPb } from "@iris/rrd";
import { describe, expect, it } from "vitest";
import { GrpcWebError } from "./grpc-web-error.ts";
import { readMessages } from "./grpc-web-read-messages.ts";

const BASE = "http://proxy.test:9876";

const frame = (flags: number, bytes: Uint8Array): Uint8Array => grpcFrame(bytes, flags);

const trailers = (text: string): Uint8Array => frame(0x80, new TextEncoder().encode(text));

function pattern(bytes: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + seed) & 0xff);
}

/** A ReadMessagesResponse holding an ArrowMsg whose payload is `payloadBytes` bytes of a pattern. */
function arrowResponse(payloadBytes: number, seed: number): Uint8Array {
  const payload = pattern(payloadBytes, seed);
  const arrowMsg = create(logMsgPb.ArrowMsgSchema, {
    storeId: { kind: commonPb.StoreKind.RECORDING, recordingId: `rec-${seed}`, applicationId: { id: "app" } },
    compression: commonPb.Compression.NONE,
    uncompressedSize: BigInt(payloadBytes),
    encoding: logMsgPb.Encoding.ARROW_IPC,
    payload,
  });
  return toBinary(
    sdkCommsPb.ReadMessagesResponseSchema,
    create(sdkCommsPb.ReadMessagesResponseSchema, { logMsg: { msg: { case: "arrowMsg", value: arrowMsg } } }),
  );
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [0, ...at, bytes.length];
  return points.slice(1).map((end, i) => bytes.slice(points[i]!, end));
}

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers every call with `chunks` as the body (each chunk one read), and records the calls. */
function fakeFetch(
  chunks: readonly Uint8Array[],
  head: { status?: number; headers?: Record<string, string> } = {},
): { fetch: typeof globalThis.fetch; calls: Call[]; cancelled: () => boolean } {
  const calls: Call[] = [];
  let cancelled = false;
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, {
      status: head.status ?? 200,
      headers: { "content-type": "application/grpc-web+proto", ...head.headers },
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls, cancelled: () => cancelled };
}

async function read(
  chunks: readonly Uint8Array[],
  head: Parameters<typeof fakeFetch>[1] = {},
  maxMessageBytes?: number,
): Promise<{ messages: sdkCommsPb.ReadMessagesResponse[]; error: unknown; cancelled: boolean }> {
  const fake = fakeFetch(chunks, head);
  const messages: sdkCommsPb.ReadMessagesResponse[] = [];
  let error: unknown;
  try {
    await readMessages(BASE, (m) => messages.push(m), {
      fetch: fake.fetch,
      ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
    });
  } catch (e) {
    error = e;
  }
  return { messages, error, cancelled: fake.cancelled() };
}

function payloads(messages: readonly sdkCommsPb.ReadMessagesResponse[]): Uint8Array[] {
  return messages.map((m) => {
    const msg = m.logMsg?.msg;
    if (msg?.case !== "arrowMsg") throw new Error(`expected an ArrowMsg, got ${msg?.case}`);
    return msg.value.payload;
  });
}

// A small message, one larger than the decoder's 512-byte prefix, then OK trailers.
const small = arrowResponse(40, 1);
const large = arrowResponse(600, 2);
const okTrailers = trailers("grpc-status: 0\r\ngrpc-message: \r\n");
const okBody = concat(frame(0, small), frame(0, large), okTrailers);
const expectedPayloads = [pattern(40, 1), pattern(600, 2)];

/** The payloads as hex text (compared as strings: element-wise deep equality is slow over many cuts). */
function hex(arrays: readonly Uint8Array[]): string[] {
  return arrays.map((a) => Array.from(a, (b) => b.toString(16).padStart(2, "0")).join(""));
}

function expectError(error: unknown, kind: string, text: RegExp): GrpcWebError {
  expect(error).toBeInstanceOf(GrpcWebError);
  const e = error as GrpcWebError;
  expect(e.kind).toBe(kind);
  expect(e.message).toMatch(text);
  return e;
}

describe("readMessages (gRPC-web ReadMessages client)", () => {
  it("POSTs the frame of an empty ReadMessagesRequest with the gRPC-web headers", async () => {
    const fake = fakeFetch([okTrailers]);
    await readMessages(`${BASE}/`, () => undefined, { fetch: fake.fetch });
    expect(fake.calls).toHaveLength(1);
    const { url, init } = fake.calls[0]!;
    expect(url).toBe(`${BASE}/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages`);
    expect(init.method).toBe("POST");
    expect(init.headers).toEqual({ "content-type": "application/grpc-web+proto", "x-grpc-web": "1" });
    expect(init.body).toEqual(new Uint8Array(5));
  });

  it("decodes the messages and ends on OK trailers, with the body cut at every byte offset", async () => {
    for (let at = 0; at <= okBody.length; at++) {
      const { messages, error } = await read(cut(okBody, [at]));
      expect(error, `cut at ${at}`).toBeUndefined();
      expect(hex(payloads(messages)), `cut at ${at}`).toEqual(hex(expectedPayloads));
    }
  });

  it("decodes a body that arrives one byte per read", async () => {
    const { messages, error } = await read(
      cut(
        okBody,
        Array.from({ length: okBody.length - 1 }, (_, i) => i + 1),
      ),
    );
    expect(error).toBeUndefined();
    expect(payloads(messages)).toEqual(expectedPayloads);
    expect(
      messages[0]!.logMsg?.msg.case === "arrowMsg" && messages[0]!.logMsg.msg.value.storeId?.recordingId,
    ).toBe("rec-1");
  });

  it("places each ArrowMsg payload 8-byte aligned in a buffer of the message's own", async () => {
    const { messages } = await read(cut(okBody, [3, 100, 700]));
    for (const payload of payloads(messages)) {
      expect(payload.byteOffset % 8).toBe(0);
      expect(payload.buffer.byteLength).toBeLessThan(payload.length + 5 + 64);
    }
  });

  it("rejects with the status and percent-decoded message of error trailers, after the messages before them", async () => {
    const body = concat(
      frame(0, small),
      trailers("grpc-status: 8\r\ngrpc-message: too%20big%20%E2%9C%93\r\n"),
    );
    for (let at = 0; at <= body.length; at++) {
      const { messages, error } = await read(cut(body, [at]));
      expect(hex(payloads(messages))).toEqual(hex(expectedPayloads.slice(0, 1)));
      const e = expectError(error, "grpc-status", /grpc-status 8 \(RESOURCE_EXHAUSTED\): too big ✓$/);
      expect(e.grpcStatus).toBe(8);
    }
  });

  it("keeps a grpc-message with a malformed escape as it is", async () => {
    const { error } = await read([trailers("grpc-status: 13\r\ngrpc-message: 100%\r\n")]);
    expectError(error, "grpc-status", /grpc-status 13 \(INTERNAL\): 100%$/);
  });

  it("reads a trailers-only response: an error status, or OK", async () => {
    const failed = await read([], { headers: { "grpc-status": "5", "grpc-message": "no%20such%20thing" } });
    expect(
      expectError(failed.error, "grpc-status", /grpc-status 5 \(NOT_FOUND\): no such thing$/).grpcStatus,
    ).toBe(5);
    const ok = await read([], { headers: { "grpc-status": "0" } });
    expect(ok).toMatchObject({ messages: [], error: undefined });
  });

  it("refuses a trailers-only response with a body", async () => {
    const { error, cancelled } = await read([frame(0, small), frame(0, small)], {
      headers: { "grpc-status": "0" },
    });
    expectError(error, "protocol", /trailers-only response .* has a body/);
    expect(cancelled).toBe(true);
  });

  it("refuses an HTTP status other than 200, with the grpc-message when there is one", async () => {
    const { error, cancelled } = await read([new TextEncoder().encode("busy")], { status: 503 });
    expectError(error, "http-status", /HTTP status 503 .*\(expected 200\)$/);
    expect(cancelled).toBe(true);
    const withMessage = await read([], { status: 404, headers: { "grpc-message": "no%20proxy" } });
    expectError(withMessage.error, "http-status", /HTTP status 404 .*\(expected 200\): no proxy$/);
  });

  it("refuses a response that is not gRPC-web", async () => {
    const { error } = await read([new TextEncoder().encode("<html>")], {
      headers: { "content-type": "text/html" },
    });
    expectError(error, "protocol", /content-type "text\/html" \(expected application\/grpc-web\+proto\)/);
  });

  it("reports a body cut short: inside a frame, or between frames without trailers", async () => {
    const messages = concat(frame(0, small), frame(0, large));
    for (let end = 0; end < okBody.length; end++) {
      const { error } = await read(cut(okBody.subarray(0, end), [Math.floor(end / 2)]));
      if (end === 0 || end === 5 + small.length || end === messages.length) {
        expectError(error, "protocol", /ended without trailers \(expected a grpc-status\)$/);
      } else {
        expectError(error, "protocol", new RegExp(`ended inside a frame after ${end} bytes`));
      }
    }
  });

  it("refuses trailers without grpc-status, a malformed trailer line and a non-numeric status", async () => {
    expectError(
      (await read([trailers("grpc-message: hi\r\n")])).error,
      "protocol",
      /trailers without grpc-status/,
    );
    expectError((await read([trailers("grpc-status 0\r\n")])).error, "protocol", /malformed trailer line/);
    expectError((await read([trailers("grpc-status: zero\r\n")])).error, "protocol", /grpc-status "zero"/);
  });

  it("refuses a frame after the trailers", async () => {
    const { error, cancelled } = await read([concat(okTrailers, frame(0, small)), okTrailers]);
    expectError(error, "protocol", /a frame after the trailers/);
    expect(cancelled).toBe(true);
  });

  it("refuses a compressed message", async () => {
    const { error } = await read([frame(1, small), okTrailers]);
    expectError(error, "compressed", /compressed message \(flags 0x01\).*\(expected flags 0x00\)/);
  });

  it("refuses a message over the limit as soon as its header arrives, after the messages before it", async () => {
    // The small message and the large one's header in one chunk: the small one is still delivered.
    const { messages, error, cancelled } = await read(
      [concat(frame(0, small), frame(0, large).subarray(0, 5)), new Uint8Array(100)],
      {},
      300,
    );
    expect(messages).toHaveLength(1);
    expectError(
      error,
      "too-large",
      new RegExp(`message of ${large.length} bytes is over the limit of 300 bytes`),
    );
    expect(cancelled).toBe(true);
  });

  it("refuses a message that is not a ReadMessagesResponse", async () => {
    const { error } = await read([frame(0, Uint8Array.of(0x0a, 0x05, 1)), okTrailers]);
    expectError(error, "protocol", /ReadMessagesResponse of 3 bytes does not decode/);
  });

  it("skips a message that does not decode, reporting it, when onInvalidMessage is given", async () => {
    const fake = fakeFetch([
      frame(0, small),
      frame(0, Uint8Array.of(0x0a, 0x05, 1)),
      frame(0, small),
      okTrailers,
    ]);
    const messages: sdkCommsPb.ReadMessagesResponse[] = [];
    const skipped: GrpcWebError[] = [];
    await readMessages(BASE, (m) => messages.push(m), {
      fetch: fake.fetch,
      onInvalidMessage: (e) => skipped.push(e),
    });
    expect(messages).toHaveLength(2);
    expect(skipped.map((e) => e.kind)).toEqual(["protocol"]);
    expect(skipped[0]!.message).toMatch(/ReadMessagesResponse of 3 bytes does not decode/);
  });

  it("ends with the abort reason when aborted from onMessage, while the body waits for more", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(frame(0, small)); // then nothing: a live stream waiting for messages
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetch = (async () =>
      new Response(body, {
        headers: { "content-type": "application/grpc-web+proto" },
      })) as unknown as typeof globalThis.fetch;
    const abort = new AbortController();
    const error = await readMessages(BASE, () => abort.abort(), { fetch, signal: abort.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe("AbortError");
    expect(cancelled).toBe(true);
  });

  it("stops when onMessage throws, cancelling the body", async () => {
    const fake = fakeFetch([frame(0, small), frame(0, large), okTrailers]);
    const failure = new Error("store full");
    await expect(
      readMessages(
        BASE,
        () => {
          throw failure;
        },
        { fetch: fake.fetch },
      ),
    ).rejects.toBe(failure);
    expect(fake.cancelled()).toBe(true);
  });
});
