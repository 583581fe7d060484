// The receiving end of the live benchmark: a gRPC ReadMessages reader (and, for the baseline, a bare TCP receiver)
// either in the producer's own process or in a process of its own, as a viewer or recorder is in real use.
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { readMessages } from "@iris/sdk/node";

/** What a run asks the reader for: the ArrowMsgs of one recording, the first of which is a marker. */
export interface FollowRequest {
  proxyUrl: string;
  applicationId: string;
  /** ArrowMsgs after the marker. */
  frames: number;
  reuseMemory: boolean;
  http2Client: "iris" | "node";
}

/** A ReadMessages call that counts the ArrowMsgs of one recording. */
export interface Following {
  /** Resolves once the marker (the recording's first ArrowMsg) has arrived: the history before it is read. */
  readonly marker: Promise<void>;
  /** Resolves once every frame after the marker has arrived. */
  readonly done: Promise<void>;
  /** Ends the call. */
  stop(): Promise<void>;
}

/** A bare TCP receiver of a fixed number of bytes. */
export interface TcpReceiving {
  /** Resolves once `bytes` bytes have arrived. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface LiveReader {
  /** The process that reads, when it is not the caller's (its CPU time is added to the producer's). */
  readonly pid: number | undefined;
  follow(request: FollowRequest): Promise<Following>;
  /** Connects to the sender at 127.0.0.1:`port` (once it returns, the connection is made) and counts `bytes`. */
  receiveTcp(port: number, bytes: number, style: TcpReadStyle): Promise<TcpReceiving>;
  close(): Promise<void>;
}

/** Counts the marker and then the frames of `request` (shared by both readers). */
function followIn(request: FollowRequest, events: { marker(): void; done(): void }): () => Promise<void> {
  const abort = new AbortController();
  let received = -1;
  const reading = (async () => {
    const { proxyUrl, applicationId, frames, reuseMemory, http2Client } = request;
    for await (const msg of readMessages(proxyUrl, { signal: abort.signal, reuseMemory, http2Client })) {
      if (msg.kind === "arrowMsg" && msg.storeId.applicationId === applicationId) {
        if (++received === 0) events.marker();
        else if (received === frames) events.done();
      }
    }
  })();
  return async () => {
    abort.abort();
    await reading;
  };
}

/**
 * How the baseline's receiver reads: `data` events (Node's default: a fresh 64 KiB buffer per read), or into one
 * reused buffer (`onread`), as Iris's own HTTP/2 client reads its socket.
 */
export type TcpReadStyle = "data" | "onread";

/** Size of the `onread` receiver's one buffer (that of Iris's own HTTP/2 client's read buffer). */
const ONREAD_BUFFER_BYTES = 256 * 1024;

/** Connects to 127.0.0.1:`port` and counts the bytes the sender writes; `done` once `bytes` have arrived. */
async function tcpIn(
  port: number,
  bytes: number,
  style: TcpReadStyle,
  done: () => void,
): Promise<() => Promise<void>> {
  let got = 0;
  const count = (n: number): void => {
    got += n;
    if (got >= bytes) done();
  };
  const socket =
    style === "onread"
      ? connect({
          port,
          host: "127.0.0.1",
          onread: { buffer: new Uint8Array(ONREAD_BUFFER_BYTES), callback: (n) => (count(n), true) },
        })
      : connect(port, "127.0.0.1").on("data", (d: Uint8Array) => count(d.length));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return async () => {
    socket.destroy();
  };
}

function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The reader in the producer's process (one JavaScript thread and heap for both). */
export class InProcessReader implements LiveReader {
  readonly pid = undefined;

  async follow(request: FollowRequest): Promise<Following> {
    const marker = signalled();
    const done = signalled();
    const stop = followIn(request, { marker: marker.resolve, done: done.resolve });
    return { marker: marker.promise, done: done.promise, stop };
  }

  async receiveTcp(port: number, bytes: number, style: TcpReadStyle): Promise<TcpReceiving> {
    const done = signalled();
    const stop = await tcpIn(port, bytes, style, done.resolve);
    return { done: done.promise, stop };
  }

  async close(): Promise<void> {}
}

type ToChild =
  | ({ cmd: "follow" } & FollowRequest)
  | { cmd: "tcp"; port: number; bytes: number; style: TcpReadStyle }
  | { cmd: "stop" };
type FromChild = { ev: "marker" | "done" | "ready" | "stopped" } | { ev: "error"; message: string };

/**
 * The reader in a process of its own, for the whole section (as a long-running viewer): one call or TCP receiver at
 * a time, driven over the IPC channel. The parent's clock stops when the child's "done" message arrives.
 */
export class ReaderProcess implements LiveReader {
  private readonly child: ChildProcess;
  private listener: ((m: FromChild) => void) | undefined;
  private failure: Error | undefined;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on("message", (m: FromChild) => {
      if (m.ev === "error") this.failure ??= new Error(`reader process: ${m.message}`);
      this.listener?.(m);
    });
  }

  static async start(): Promise<ReaderProcess> {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child"], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const reader = new ReaderProcess(child);
    await reader.next("ready");
    return reader;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private next(ev: FromChild["ev"]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const previous = this.listener;
      this.listener = (m) => {
        previous?.(m);
        if (m.ev === ev) resolve();
        else if (m.ev === "error") reject(this.failure);
      };
    });
  }

  private send(message: ToChild): void {
    if (this.failure) throw this.failure;
    this.child.send(message);
  }

  private async stop(): Promise<void> {
    const stopped = this.next("stopped");
    this.send({ cmd: "stop" });
    await stopped;
    this.listener = undefined;
  }

  async follow(request: FollowRequest): Promise<Following> {
    const marker = this.next("marker");
    const done = this.next("done");
    this.send({ cmd: "follow", ...request });
    return { marker, done, stop: () => this.stop() };
  }

  async receiveTcp(port: number, bytes: number, style: TcpReadStyle): Promise<TcpReceiving> {
    const ready = this.next("ready");
    const done = this.next("done");
    this.send({ cmd: "tcp", port, bytes, style });
    await ready;
    return { done, stop: () => this.stop() };
  }

  async close(): Promise<void> {
    this.child.disconnect();
    await new Promise<void>((r) => (this.child.exitCode !== null ? r() : this.child.once("exit", () => r())));
  }
}

/** The child's side: runs the commands it is sent, one at a time. */
function childMain(): void {
  const send = (m: FromChild): void => void process.send!(m);
  let stop: (() => Promise<void>) | undefined;
  process.on("message", (m: ToChild) => {
    void (async () => {
      try {
        if (m.cmd === "follow") {
          stop = followIn(m, { marker: () => send({ ev: "marker" }), done: () => send({ ev: "done" }) });
        } else if (m.cmd === "tcp") {
          stop = await tcpIn(m.port, m.bytes, m.style, () => send({ ev: "done" }));
          send({ ev: "ready" });
        } else {
          await stop?.();
          stop = undefined;
          send({ ev: "stopped" });
        }
      } catch (error) {
        send({ ev: "error", message: String(error) });
      }
    })();
  });
  process.on("disconnect", () => void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0)));
  send({ ev: "ready" });
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === process.argv[1] &&
  process.argv.includes("--child")
) {
  childMain();
}
