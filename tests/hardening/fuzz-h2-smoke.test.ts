// A short fixed-seed run of the HTTP/2 client fuzzer (fuzz/fuzz-h2.ts) as part of CI, the replay of its stored
// findings (fuzz/findings/h2-*.json), the unmutated seeds giving exactly what they should, and the oracles shown
// to fail on deliberately wrong outcomes.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { GrpcSinkStats } from "@iris/sdk/node";
import { LiveError } from "@iris/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINDINGS_DIR } from "../../fuzz/fuzz-loop.ts";
import { type H2Corpus, fuzzH2, h2Corpus, replayH2, runTranscript } from "../../fuzz/fuzz-h2.ts";
import { mutateTranscript } from "../../fuzz/h2/mutators-h2.ts";
import { canonical, readProblem, referenceMessages } from "../../fuzz/h2/read-oracle.ts";
import { emptyIterationStats, requestPayloads, sinkProblem, withinBound } from "../../fuzz/h2/targets-h2.ts";
import { copyTranscript, transcriptBytes, transcriptToJson } from "../../fuzz/h2/transcript.ts";
import { FrameType, frameBytes } from "../live/raw-h2-server.ts";
import { TranscriptServer } from "../../fuzz/h2/transcript-server.ts";
import { Rng } from "../../fuzz/rng.ts";

let corpus: H2Corpus;
let server: TranscriptServer;
beforeAll(async () => {
  corpus = h2Corpus();
  server = await TranscriptServer.start();
});
afterAll(() => server.close());

const seed = (name: string) => [...corpus.read, ...corpus.sink].find((s) => s.name === name)!;

describe("fuzz-h2 seeds", () => {
  it("the SDK recording is a SetStoreInfo and four images", () => {
    expect(corpus.messages.map((m) => m.kind)).toEqual([
      "setStoreInfo",
      "arrowMsg",
      "arrowMsg",
      "arrowMsg",
      "arrowMsg",
    ]);
  });

  it("each unmutated readMessages seed gives every message and a clean end, or its LiveError", async () => {
    for (const s of corpus.read) {
      const stats = emptyIterationStats();
      expect(await runTranscript(server, s.transcript, corpus, stats), s.name).toBeUndefined();
      if (s.expect === "ok") {
        expect(stats, s.name).toMatchObject({ yielded: corpus.messages.length, cleanEnds: 1, liveErrors: 0 });
        // and the reference walker reads the same messages from the bytes
        expect(referenceMessages(transcriptBytes(s.transcript)), s.name).toEqual(
          corpus.messages.map(canonical),
        );
      } else expect(stats, s.name).toMatchObject({ cleanEnds: 0, liveErrors: 1 });
    }
  });

  it("each unmutated GrpcSink seed ends with every message acknowledged (or rejected, for grpc-status 3)", async () => {
    for (const s of corpus.sink) {
      const stats = emptyIterationStats();
      expect(await runTranscript(server, s.transcript, corpus, stats), s.name).toBeUndefined();
      if (s.name === "sink-small-windows") expect(stats.flowExhausted).toBeGreaterThan(0); // the audit saw it held
      const rejected = s.name === "sink-invalid-argument";
      expect(stats, s.name).toMatchObject({
        acked: rejected ? 0 : corpus.sinkMessages.length,
        dropped: 0,
        rejected: rejected ? corpus.sinkMessages.length : 0,
      });
    }
  });

  it("mutation is deterministic for a fixed seed", () => {
    const a = mutateTranscript(seed("read-continuation").transcript, new Rng(7));
    const b = mutateTranscript(seed("read-continuation").transcript, new Rng(7));
    expect(a.applied).toEqual(b.applied);
    expect(transcriptToJson(a.transcript)).toBe(transcriptToJson(b.transcript));
  });
});

describe("fuzz-h2 oracles fail on wrong outcomes", () => {
  it("readMessages: a changed byte, a message too many, a non-LiveError", () => {
    const t = seed("read-basic").transcript;
    const good = corpus.messages.map(canonical);
    expect(readProblem(t, good, undefined)).toBeUndefined();
    const changed = structuredClone(corpus.messages);
    const image = changed[3]!;
    if (image.kind !== "arrowMsg") throw new Error("expected an ArrowMsg");
    image.ipc[image.ipc.length - 20]! ^= 1;
    expect(readProblem(t, changed.map(canonical), undefined)).toMatch(/message 3 differs/);
    const rst = seed("read-rst-stream").transcript; // carries one message, then RST_STREAM
    expect(readProblem(rst, good.slice(0, 1), new LiveError("unreachable", "reset"))).toBeUndefined();
    expect(readProblem(rst, good.slice(0, 2), new LiveError("unreachable", "reset"))).toMatch(
      /carried only 1/,
    );
    expect(readProblem(t, good, new TypeError("x is undefined"))).toMatch(/non-LiveError: TypeError/);
    expect(readProblem(t, good.slice(0, 3), undefined)).toMatch(
      /ended cleanly after 3 messages; .* carried 5/,
    );
    expect(readProblem(t, good.slice(0, 3), undefined, true)).toBeUndefined(); // the consumer aborted
    expect(readProblem(t, good, new LiveError("status", "status 0\x1b[2J"))).toMatch(
      /control character.*U\+001b/,
    );
  });

  it("the reference stops at an undecodable message, or skips it when readMessages is given onInvalidMessage", () => {
    const t = copyTranscript(seed("read-basic").transcript);
    const writes = t.segments[1]!.writes; // HEADERS, one DATA per message, trailers
    writes.splice(3, 0, frameBytes(FrameType.DATA, 0, 1, Uint8Array.of(0, 0, 0, 0, 2, 0xff, 0xff)));
    const bytes = transcriptBytes(t);
    expect(referenceMessages(bytes)).toHaveLength(2);
    expect(referenceMessages(bytes, true)).toHaveLength(5);
    const good = corpus.messages.map(canonical);
    expect(readProblem(t, good.slice(0, 2), new LiveError("protocol", "undecodable"))).toBeUndefined();
    expect(readProblem(t, good, undefined, false, true)).toBeUndefined();
    expect(readProblem(t, good.slice(0, 2), undefined, false, true)).toMatch(/ended cleanly after 2/);
  });

  it("the reference counts a DATA frame cut by the end of the connection, up to its padding", () => {
    const bytes = transcriptBytes(seed("read-padded-priority").transcript);
    expect(referenceMessages(bytes)).toHaveLength(5);
    // The frame boundaries; the last DATA frame carries the fifth message and 28 bytes of padding.
    const ends: { type: number; end: number }[] = [];
    for (let at = 0; at + 9 <= bytes.length;) {
      const end = at + 9 + ((bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!);
      ends.push({ type: bytes[at + 3]!, end });
      at = end;
    }
    const lastData = ends.filter((f) => f.type === 0).at(-1)!.end;
    expect(referenceMessages(bytes.subarray(0, lastData - 10))).toHaveLength(5); // cut inside the padding
    expect(referenceMessages(bytes.subarray(0, lastData - 29))).toHaveLength(4); // cut inside the message
  });

  it("GrpcSink: unaccounted messages, events that disagree, a delivered message never sent", () => {
    const sent = requestPayloads(corpus.messages);
    const stats: GrpcSinkStats = {
      sentMessages: 5,
      ackedMessages: 4,
      ackedBytes: 0,
      droppedMessages: 1,
      rejectedMessages: 0,
      reconnects: 0,
      queuedMessages: 0,
      queuedBytes: 0,
      connected: false,
    };
    const dropped = [{ type: "dropped", messages: 1, totalDropped: 1 } as const];
    expect(sinkProblem(sent, stats, dropped, sent.slice(1), undefined)).toBeUndefined();
    expect(sinkProblem(sent, { ...stats, ackedMessages: 3 }, dropped, [], undefined)).toMatch(/= 4/);
    expect(sinkProblem(sent, stats, [], [], undefined)).toMatch(/events report 0 dropped/);
    const forged = new Uint8Array(sent[1]!);
    forged[forged.length - 1]! ^= 1;
    expect(sinkProblem(sent, stats, dropped, [forged], undefined)).toMatch(/none of those sent/);
    expect(sinkProblem(sent, stats, dropped, [], new Error("boom"))).toMatch(/closed\(\) rejected/);
    const unsafe = [...dropped, { type: "disconnected", error: "GOAWAY \u202e", retryInMs: 5 } as const];
    expect(sinkProblem(sent, stats, unsafe, [], undefined)).toMatch(/"disconnected" event's error .*U\+202e/);
  });

  it("a client that never ends after the server closed is a hang", async () => {
    const never = new Promise<void>(() => undefined);
    expect(await withinBound(never, { serverDone: Promise.resolve() }, 0, 50)).toBe("hang");
    expect(await withinBound(Promise.resolve(7), { serverDone: Promise.resolve() }, 0, 50)).toBe(7);
  });
});

describe("fuzz-h2 smoke run", () => {
  it("1200 iterations (seed 20261203) produce no finding, through both clients and every mutation", async () => {
    const result = await fuzzH2({ seed: 20261203, iterations: 1200, stopOnFinding: false, minimize: false });
    expect(result.iterations).toBe(1200);
    expect(result.sinkIterations).toBe(300);
    expect(Object.keys(result.mutations).length).toBeGreaterThanOrEqual(20);
    const s = result.stats;
    expect(s.yielded).toBeGreaterThan(0);
    expect(s.cleanEnds).toBeGreaterThan(0);
    expect(s.liveErrors).toBeGreaterThan(0);
    expect(s.acked).toBeGreaterThan(0);
    expect(s.dropped + s.rejected).toBeGreaterThan(0);
    expect(s.flowExhausted).toBeGreaterThan(0); // the flow audit saw GrpcSink held by windows
    expect(result.findings.map((f) => `${f.hash}: ${f.reason}`)).toEqual([]);
  }, 120_000);
});

describe("fuzz-h2 findings replay (regressions)", () => {
  const files = existsSync(FINDINGS_DIR)
    ? readdirSync(FINDINGS_DIR).filter((name) => name.startsWith("h2-") && name.endsWith(".json"))
    : [];
  it("the findings directory exists", () => {
    expect(existsSync(FINDINGS_DIR)).toBe(true);
  });
  for (const name of files) {
    it(`${name} replays without a finding`, async () => {
      expect(await replayH2([join(FINDINGS_DIR, name)])).toEqual([undefined]);
    }, 60_000);
  }
});
