import type { WriteCall, WriteSession, WriteSessionOptions } from "./write-session.ts";

/**
 * What the two `WriteSession`s share: one connection at a time, opened on demand and again after it was lost; kept
 * referenced (Node stays alive) while calls are open, unref'd when idle and closed after `idleTimeoutMs`; pinged
 * every `pingIntervalMs` while calls are open. Subclasses say how to connect and call.
 */
export abstract class WriteSessionBase<Connection, Call extends WriteCall> implements WriteSession {
  private connection: Connection | undefined;
  private readonly calls = new Set<Call>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    protected readonly baseUrl: string,
    protected readonly options: WriteSessionOptions,
  ) {}

  open(signal: AbortSignal): WriteCall {
    const connection = this.current();
    clearTimeout(this.idleTimer);
    this.keepAlive(connection, true);
    const call = this.call(connection, signal);
    this.calls.add(call);
    const ended = (): void => this.callEnded(call, connection);
    void call.done.then(ended, ended);
    return call;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    clearInterval(this.pingTimer);
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) this.closeConnection(connection, [...this.calls]);
  }

  /** A new connection. */
  protected abstract connect(): Connection;
  /** Whether `connection` can take new calls. */
  protected abstract usable(connection: Connection): boolean;
  /** Starts a `WriteMessages` call on `connection`. */
  protected abstract call(connection: Connection, signal: AbortSignal): Call;
  /** Sends a PING; an unanswered one (within `pingTimeoutMs`) must drop the connection. */
  protected abstract ping(connection: Connection): void;
  /** Whether `connection` keeps Node running. */
  protected abstract keepAlive(connection: Connection, on: boolean): void;
  /** Closes `connection`; its open `calls` must end (`Code.Canceled` or an error). */
  protected abstract closeConnection(connection: Connection, calls: readonly Call[]): void;

  /** The connection was lost or refuses new calls: the next `open` connects anew. */
  protected forget(connection: Connection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    clearInterval(this.pingTimer);
  }

  private current(): Connection {
    const current = this.connection;
    if (current !== undefined && this.usable(current)) return current;
    const connection = this.connect();
    this.connection = connection;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.calls.size > 0 && this.connection === connection) this.ping(connection);
    }, this.options.pingIntervalMs);
    this.pingTimer.unref();
    return connection;
  }

  private callEnded(call: Call, connection: Connection): void {
    this.calls.delete(call);
    if (this.calls.size > 0 || connection !== this.connection) return;
    // Idle: let the process exit, and close the connection after a while.
    this.keepAlive(connection, false);
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.calls.size === 0 && this.connection === connection) this.close();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }
}
