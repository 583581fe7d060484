import { closeSync, fsyncSync, openSync, writevSync } from "node:fs";
import { type ByteSink, RrdEncoder, type RrdEncoderOptions, type RrdMessage } from "@iris/rrd";
import type { LogSink } from "../sinks/log-sink.ts";
import { fastestLz4 } from "./native-lz4.ts";
import { FileLock } from "./file-lock.ts";

const openSinks = new Set<FileSink>();
let hooksInstalled = false;

/**
 * Writes a recording to a `.rrd` file as it is logged. Every message is written whole with one synchronous
 * `writev` of its parts (not copied into one buffer), so a process killed at any moment leaves a file whose
 * complete messages all load. When the process exits (normally or on SIGINT/SIGTERM/SIGHUP), the rows still
 * batched by every recording sending to an open sink are written, then the footer (End + RrdFooter with the chunk
 * manifest + StreamFooter, as `close()` and Rerun's file sink write it), and the file is fsynced — also for a
 * FileSink passed directly as `RecordingStream`'s `sink`.
 *
 * A FileSink holds an exclusive lock on its path (see `FileLock`: a `<path>.lock` file created with O_EXCL) from
 * before the file is truncated until `close()` or process exit, so a second FileSink on the same path, in this
 * process or another one, throws `SdkError` "file-locked" instead of silently interleaving two recordings.
 */
export class FileSink implements LogSink, ByteSink {
  /** Every message is written before `send` returns: the recording may hand over views of logged arrays. */
  readonly consumesSynchronously = true;
  readonly path: string;
  private fd: number | undefined;
  private readonly encoder: RrdEncoder;
  private pending: Uint8Array[] = [];
  /** Recordings sending to this sink; their batchers are flushed into it when the process exits. */
  private readonly recordings = new Set<{ flush(): void }>();
  private readonly lock: FileLock;

  constructor(path: string, options: RrdEncoderOptions = {}) {
    this.path = path;
    this.lock = FileLock.acquire(path);
    try {
      this.fd = openSync(path, "w");
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.encoder = new RrdEncoder(this, { ...options, lz4: options.lz4 ?? fastestLz4() });
    openSinks.add(this);
    installExitHooks();
  }

  /** ByteSink side: collects the frames of one message, written together in `send`. */
  write(bytes: Uint8Array): void {
    this.pending.push(bytes);
  }

  send(message: RrdMessage): void {
    this.encoder.write(message);
    const parts = this.pending;
    this.pending = [];
    if (this.fd !== undefined) writeAll(this.fd, parts);
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  attach(recording: { flush(): void }): void {
    this.recordings.add(recording);
  }

  /** Exit hook: pending rows of every attached recording (that still sends here), then fsync. */
  flushOnExit(): void {
    for (const recording of this.recordings) {
      if (this.fd === undefined) return;
      try {
        recording.flush();
      } catch {
        // A recording that cannot flush (e.g. switched to a closed sink) must not stop the others.
      }
    }
    // The process ends: finish the stream as Rerun's file sink does when it is dropped (End + RrdFooter +
    // StreamFooter), so that a file left open still has its chunk manifest.
    if (this.fd !== undefined) {
      this.encoder.finish();
      const footer = this.pending;
      this.pending = [];
      writeAll(this.fd, footer);
    }
    this.flush();
    this.lock.release();
  }

  close(): void {
    if (this.fd === undefined) return;
    this.encoder.finish();
    const footer = this.pending;
    this.pending = [];
    writeAll(this.fd, footer);
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
    this.lock.release();
    openSinks.delete(this);
    this.recordings.clear();
  }
}

/**
 * Writes `parts` in order with one `writev` (no copy into one buffer); a short write continues where it stopped.
 */
function writeAll(fd: number, parts: readonly Uint8Array[]): void {
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) {
    let written = writevSync(fd, rest);
    let i = 0;
    while (i < rest.length && written >= rest[i]!.length) written -= rest[i++]!.length;
    rest = rest.slice(i);
    if (written > 0) rest[0] = rest[0]!.subarray(written);
  }
}

type FlushHook = () => void;
const exitHooks = new Set<FlushHook>();

/** Registers a function run (synchronously) when the process exits normally or on SIGINT/SIGTERM/SIGHUP. */
export function onProcessExit(hook: FlushHook): () => void {
  exitHooks.add(hook);
  installExitHooks();
  return () => exitHooks.delete(hook);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const runAll = (): void => {
    for (const hook of exitHooks) {
      try {
        hook();
      } catch {
        // Keep flushing the other hooks and sinks.
      }
    }
    for (const sink of openSinks) sink.flushOnExit();
  };
  process.on("exit", runAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      runAll();
      process.kill(process.pid, signal);
    });
  }
}
