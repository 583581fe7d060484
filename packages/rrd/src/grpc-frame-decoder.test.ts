import { describe, expect, it } from "vitest";
import { GrpcFrameDecoder } from "./grpc-frame-decoder.ts";

function frame(flags: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, body.length);
  out.set(body, 5);
  return out;
}

describe("GrpcFrameDecoder flags", () => {
  it("tells messages, compressed messages and gRPC-web trailers apart, whatever the chunking", () => {
    const trailers = new TextEncoder().encode("grpc-status: 0\r\ngrpc-message: \r\n");
    const parts = [frame(0, Uint8Array.of(0x0a, 0)), frame(1, Uint8Array.of(7, 7, 7)), frame(0x80, trailers)];
    const wire = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (wire.set(p, at), at + p.length), 0);
    for (const step of [1, 4, 5, 9, wire.length]) {
      const decoder = new GrpcFrameDecoder(1000, () => new Error("too large"));
      const got = [];
      for (let at = 0; at < wire.length; at += step) got.push(...decoder.push(wire.subarray(at, at + step)));
      expect(
        got.map((f) => [f.compressed, f.trailers, Array.from(f.bytes)]),
        `step ${step}`,
      ).toEqual([
        [false, false, [0x0a, 0]],
        [true, false, [7, 7, 7]],
        [false, true, Array.from(trailers)],
      ]);
      expect(decoder.atBoundary).toBe(true);
    }
  });
});
