import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { type ByteSink, RrdEncoder, type RrdEncoderOptions, type RrdMessage } from "@iris/rrd";
import type { LogSink } from "../sinks/log-sink.ts";

const openSinks = new Set<FileSink>();
let hooksInstalled = false;

/**
 * Writes a recording to a `.rrd` file as it is logged. Every message is written whole with one synchronous
 * write, so a process killed at any moment leaves a file whose complete messages all load. Open sinks are
 * flushed when the process exits.
 */
export class FileSink implements LogSink, ByteSink {
  readonly path: string;
  private fd: number | undefined;
  private readonly encoder: RrdEncoder;
  private pending: Uint8Array[] = [];

  constructor(path: string, options: RrdEncoderOptions = {}) {
    this.path = path;
    this.fd = openSync(path, "w");
    this.encoder = new RrdEncoder(this, options);
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
    if (this.fd === undefined) return;
    const total = parts.reduce((n, p) => n + p.length, 0);
    const whole = parts.length === 1 ? parts[0]! : concat(parts, total);
    let offset = 0;
    while (offset < whole.length) offset += writeSync(this.fd, whole, offset, whole.length - offset);
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    this.encoder.finish();
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
    openSinks.delete(this);
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

type FlushHook = () => void;
const exitHooks = new Set<FlushHook>();

/** Registers a function run (synchronously) when the process exits normally or on SIGINT/SIGTERM. */
export function onProcessExit(hook: FlushHook): () => void {
  exitHooks.add(hook);
  installExitHooks();
  return () => exitHooks.delete(hook);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const runAll = (): void => {
    for (const hook of exitHooks) hook();
    for (const sink of openSinks) sink.flush();
  };
  process.on("exit", runAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      runAll();
      process.kill(process.pid, signal);
    });
  }
}
