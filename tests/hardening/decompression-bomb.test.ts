// LZ4 bombs (issue 15): each message's declared uncompressed_size is checked against the decompression budget
// before the message is decompressed — an LZ4 codec that counts its calls shows that nothing past the budget is
// decompressed or allocated — and `--max-decompressed-bytes` sets the budget on the command line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import {
  type Lz4Codec,
  MemorySink,
  MessageKind,
  RrdDecoder,
  RrdEncoder,
  type RrdMessage,
  encodeMessageHeader,
  encodeMessagePayload,
  lz4,
  logMsgPb,
} from "@iris/rrd";
import { concatBytes } from "@iris/types";

const STORE = { kind: "recording", recordingId: "bomb", applicationId: "bomb_app" } as const;
const MESSAGE_BYTES = 768 << 10;

/** Four LZ4 ArrowMsgs of 768 KiB of zeros each (≈3 KiB each on disk). */
function bomb(): Uint8Array {
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink, { compression: "lz4" });
  for (let i = 0; i < 4; i++) {
    const ipc = new Uint8Array(MESSAGE_BYTES);
    ipc[i] = 1; // four different messages
    encoder.write({ kind: "arrowMsg", storeId: STORE, ipc } satisfies RrdMessage);
  }
  encoder.finish();
  return sink.toBytes();
}

/** The package's codec, counting what it is asked to decompress. */
function countingCodec(): { codec: Lz4Codec; calls: number[] } {
  const calls: number[] = [];
  const codec: Lz4Codec = {
    compressBlock: (src) => lz4.compressBlock(src),
    decompressBlock: (src, size) => {
      calls.push(size);
      return lz4.decompressBlock(src, size);
    },
  };
  return { codec, calls };
}

function decode(bytes: Uint8Array, decoder: RrdDecoder): { arrowMsgs: number; warnings: string[] } {
  decoder.push(bytes);
  let arrowMsgs = 0;
  const warnings: string[] = [];
  for (const event of decoder.end()) {
    if (event.type === "warning") warnings.push(event.warning.kind);
    else if (event.message.kind === "arrowMsg") arrowMsgs++;
  }
  return { arrowMsgs, warnings };
}

describe("LZ4 decompression budget", () => {
  it("refuses the message that would cross the budget before decompressing it (the codec never sees it)", () => {
    const bytes = bomb();
    expect(bytes.length).toBeLessThan(16 << 10);
    const { codec, calls } = countingCodec();
    const outcome = decode(
      bytes,
      new RrdDecoder({ lz4: codec, maxDecompressedBytes: 1 << 20, maxDecompressionRatio: 4 }),
    );
    expect(outcome).toEqual({ arrowMsgs: 1, warnings: ["decompression-limit"] });
    expect(calls).toEqual([MESSAGE_BYTES]); // only the first message was decompressed
  });

  it("refuses a single message declaring more than the per-message cap without calling the codec", () => {
    const payload = encodeMessagePayload(
      { kind: "arrowMsg", storeId: STORE, ipc: new Uint8Array(MESSAGE_BYTES) },
      { compression: "lz4" },
    ).payload;
    const proto = fromBinary(logMsgPb.ArrowMsgSchema, payload);
    proto.uncompressedSize = 1n << 31n; // 2 GiB claimed by a ≈3 KiB block
    const hostile = toBinary(logMsgPb.ArrowMsgSchema, proto);
    const stream = concatBytes([
      bomb().subarray(0, 12), // the StreamHeader
      encodeMessageHeader(MessageKind.ArrowMsg, hostile.length),
      hostile,
    ]);
    const { codec, calls } = countingCodec();
    const outcome = decode(stream, new RrdDecoder({ lz4: codec }));
    expect(outcome.arrowMsgs).toBe(0);
    expect(outcome.warnings).toContain("invalid-payload");
    expect(calls).toEqual([]);
  });

  it("the default budget (1 GiB) reads the same file whole", () => {
    const { codec, calls } = countingCodec();
    expect(decode(bomb(), new RrdDecoder({ lz4: codec }))).toEqual({ arrowMsgs: 4, warnings: [] });
    expect(calls).toHaveLength(4);
  });
});

describe("iris … --max-decompressed-bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-bomb-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "bomb.rrd");
  writeFileSync(path, bomb());

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    return { code, out, err };
  }

  it("verify: no decompression-limit problem with the default budget, one with 1M", async () => {
    expect((await run("verify", path, "--json")).out).not.toContain("decompression-limit");
    const limited = await run("verify", path, "--max-decompressed-bytes", "1M", "--json");
    expect(limited.code).toBe(1);
    expect(limited.out).toContain("decompression-limit");
  });

  it("print and compare take it too and report the limit; query accepts it", async () => {
    // query names no decoder problems; here it only has to accept the option (exit 1: no timeline "frame").
    const query = await run("query", path, "--index", "frame", "--max-decompressed-bytes", "1M");
    expect(query.code).toBe(1);
    expect(query.err).toContain('no timeline "frame"');
    for (const argv of [
      ["print", path],
      ["compare", path, path],
    ]) {
      const result = await run(...argv, "--max-decompressed-bytes=1048576");
      expect(result.out + result.err, argv[0]).toMatch(/over the limit of 1048576/);
      const unlimited = await run(...argv);
      expect(unlimited.out + unlimited.err, argv[0]).not.toMatch(/over the limit/);
    }
  });

  it("a bad value is a usage error (exit 2) naming the option; --help documents it", async () => {
    for (const value of ["0", "-5", "1.5", "lots", "1T"]) {
      const result = await run("verify", path, `--max-decompressed-bytes=${value}`);
      expect(result.code, value).toBe(2);
      expect(result.err).toContain("--max-decompressed-bytes");
    }
    const help = await run("verify", "--help");
    expect(help.out).toContain("--max-decompressed-bytes");
  });
});
