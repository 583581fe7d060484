// Crash safety of the FileSink: a child process logs through a FileSink created directly (not via save()), and is
// killed with SIGKILL mid-stream, sent SIGTERM, or exits without close(). The parent decodes what is on disk.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import { MESSAGE_HEADER_BYTES, type RrdMessage, type RrdWarning, decodeRrd } from "@iris/rrd";
import { SdkError } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { ImageBufferType } from "@iris/types";

const ROOT = resolve(import.meta.dirname, "../..");
const CHILD = join(import.meta.dirname, "fixtures/file-sink-child.ts");

const dir = mkdtempSync(join(tmpdir(), "iris-crash-safety-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/**
 * Node itself with tsx's loader (not the `tsx` CLI, which would run the script in a grandchild: signals would hit
 * the wrapper, and a SIGKILLed wrapper would leave the writer running).
 */
function startChild(path: string, mode: string, frames = 5): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, path, mode, String(frames)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

/** Resolves once the child printed a line matching `pattern`. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let buffer = "";
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const onData = (d: Buffer): void => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      const hit = lines.find((line) => pattern.test(line));
      if (hit !== undefined) {
        child.stdout!.off("data", onData);
        resolvePromise(hit);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before printing ${pattern}: ${stderr}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
}

/**
 * The `frame` time and pixel value of every image row of every ArrowMsg. The first ArrowMsg must be the static
 * recording-properties chunk (`/__properties`) that the RecordingStream sends at creation, as Rerun's does.
 */
function frames(messages: readonly RrdMessage[]): { frame: bigint; value: number }[] {
  const out: { frame: bigint; value: number }[] = [];
  const chunks = messages.flatMap((m) => (m.kind === "arrowMsg" ? [chunkFromIpc(m.ipc)] : []));
  expect(chunks[0]?.entityPath).toBe("/__properties");
  expect(chunks[0]?.isStatic).toBe(true);
  for (const chunk of chunks.slice(1)) {
    const times = chunk.timelines.get("frame")!.times;
    for (let row = 0; row < chunk.numRows; row++) {
      out.push({
        frame: times[row]!,
        value: chunk.componentValues("Image:buffer", row, ImageBufferType)![0]![0]!,
      });
    }
  }
  return out;
}

function decodeFile(path: string): { messages: RrdMessage[]; warnings: RrdWarning[]; size: number } {
  const bytes = new Uint8Array(readFileSync(path));
  return { ...decodeRrd(bytes), size: bytes.length };
}

describe("FileSink crash safety (child processes)", () => {
  it("SIGKILL mid-stream: every completely written message loads, a cut tail is only a 'truncated' warning", async () => {
    const path = join(dir, "killed.rrd");
    const child = startChild(path, "loop");
    const line = await waitForLine(child, /^frame (2[0-9]|[3-9][0-9]|\d{3,})$/);
    const printed = Number(line.split(" ")[1]);
    child.kill("SIGKILL");
    expect((await exited(child)).signal).toBe("SIGKILL");

    const { messages, warnings } = decodeFile(path);
    expect(warnings.every((w) => w.kind === "truncated")).toBe(true);
    expect(warnings.length).toBeLessThanOrEqual(1);
    expect(messages[0]!.kind).toBe("setStoreInfo");
    const rows = frames(messages);
    // Every frame the child reported as logged is in the file, in order, with its pixels intact.
    expect(rows.length).toBeGreaterThanOrEqual(printed + 1);
    rows.forEach((row, i) => expect(row).toEqual({ frame: BigInt(i), value: i % 256 }));
  }, 120_000);

  it("a file cut at any byte of its last message loads all earlier messages and reports 'truncated'", async () => {
    const path = join(dir, "complete.rrd");
    const child = startChild(path, "loop");
    await waitForLine(child, /^frame 3$/);
    child.kill("SIGKILL");
    await exited(child);
    const bytes = new Uint8Array(readFileSync(path));
    const whole = decodeRrd(bytes);
    const n = whole.messages.length;
    expect(n).toBeGreaterThanOrEqual(5);
    // Offsets where each message starts (stream header 12 bytes, then header + payload).
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const starts: number[] = [];
    for (let at = 12; at + MESSAGE_HEADER_BYTES <= bytes.length;) {
      const length = Number(view.getBigUint64(at + 8, true));
      if (at + MESSAGE_HEADER_BYTES + length > bytes.length) break;
      starts.push(at);
      at += MESSAGE_HEADER_BYTES + length;
    }
    const lastStart = starts[3]!;
    const lastEnd = starts[4]!;
    for (const cut of [lastStart + 1, lastStart + 15, lastStart + 16, lastStart + 100, lastEnd - 1]) {
      const { messages, warnings } = decodeRrd(bytes.subarray(0, cut));
      expect(messages).toHaveLength(3);
      expect(warnings.map((w) => [w.kind, w.offset])).toEqual([["truncated", lastStart]]);
    }
    expect(decodeRrd(bytes.subarray(0, lastEnd)).warnings).toEqual([]);
  }, 120_000);

  it("SIGTERM: rows still in the batcher are flushed by the exit hook", async () => {
    const path = join(dir, "sigterm.rrd");
    const child = startChild(path, "pending", 7);
    await waitForLine(child, /^logged$/);
    child.kill("SIGTERM");
    expect((await exited(child)).signal).toBe("SIGTERM");
    const { messages, warnings } = decodeFile(path);
    expect(warnings).toEqual([]);
    expect(frames(messages)).toEqual(Array.from({ length: 7 }, (_, i) => ({ frame: BigInt(i), value: i })));
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 120_000);

  it("two FileSinks on one path in two processes: the second is refused while the first lives, then takes over a SIGKILLed writer's lock", async () => {
    const path = join(dir, "locked.rrd");
    const child = startChild(path, "pending", 3);
    await waitForLine(child, /^logged$/);
    let caught: unknown;
    try {
      new FileSink(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SdkError);
    expect((caught as SdkError).kind).toBe("file-locked");
    expect((caught as SdkError).message).toContain(`pid ${child.pid}`);
    // The refused sink did not truncate the file the child is writing.
    child.kill("SIGKILL");
    await exited(child);
    expect(decodeFile(path).messages[0]?.kind).toBe("setStoreInfo");
    expect(existsSync(`${path}.lock`)).toBe(true);
    // The holder is dead: its stale lock is taken over.
    const sink = new FileSink(path);
    sink.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 120_000);

  it("normal exit without close(): rows still in the batcher are flushed by the exit hook", async () => {
    const path = join(dir, "exit.rrd");
    const child = startChild(path, "exit", 6);
    await waitForLine(child, /^logged$/);
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    const { messages, warnings } = decodeFile(path);
    expect(warnings).toEqual([]);
    expect(frames(messages)).toEqual(Array.from({ length: 6 }, (_, i) => ({ frame: BigInt(i), value: i })));
  }, 120_000);
});
