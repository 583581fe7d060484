import * as net from "node:net";
import * as tls from "node:tls";
import { concatBytes } from "@iris/types";
import { H2Error } from "./h2-error.ts";

export interface H2ConnectionOptions {
  host: string;
  port: number;
  /** HTTP/2 over TLS (ALPN "h2") instead of cleartext; `ca`: the certificate authorities to trust (default: Node's). */
  tls?: { ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined } | undefined;
}

/** What an `H2Connection` reports to its session. */
export interface H2ConnectionEvents {
  /** Bytes read: a view of the reused read buffer, valid during the call. Returns false to stop reading. */
  read(bytes: Uint8Array): boolean;
  /** Where the next read may go instead of the read buffer (a view of where its bytes belong), or undefined. */
  target(): Uint8Array | undefined;
  /** `n` bytes were read into the last `target()`. Returns false to stop reading. */
  readInPlace(n: number): boolean;
  /** The socket can take request bytes again after `hasRoom()` said no. */
  room(): void;
  /** The TLS server did not agree to HTTP/2. */
  refused(error: H2Error): void;
  error(error: Error): void;
  closed(): void;
}

/** The connection options for `base` ("http://host:port": cleartext, "https://host:port": TLS trusting `ca`). */
export function sessionTarget(
  base: string,
  ca?: string | Uint8Array | readonly (string | Uint8Array)[],
): H2ConnectionOptions & { authority: string } {
  const url = new URL(base);
  const https = url.protocol === "https:";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port !== "" ? Number(url.port) : https ? 443 : 80,
    authority: url.host,
    tls: https ? { ca } : undefined,
  };
}

/** Size of the memory every socket read lands in (reused). */
const READ_BUFFER_BYTES = 256 * 1024;
/** Request bytes are handed to the socket while it holds fewer than this unsent (the rest waits in the streams). */
const SOCKET_HIGH_BYTES = 4 << 20;
/** Largest DATA frame a session sends (if the server allows it): larger ones gain nothing. */
export const MAX_SEND_FRAME_BYTES = 1 << 20;
/** Acknowledgements (PING, SETTINGS) queued towards a server that does not read before we give up on it. */
const MAX_UNSENT_CONTROL_BYTES = 1 << 20;

/**
 * The socket under an `H2Session`: cleartext with prior knowledge (RFC 9113 §3.3) or TLS with ALPN "h2". It reads
 * into one reused buffer (`onread`: no allocation per read), takes request bytes while fewer than 4 MiB wait unsent,
 * and gives up on a server that leaves control frames unread.
 */
export class H2Connection {
  private readonly socket: net.Socket;
  private waitingForRoom = false;

  constructor(options: H2ConnectionOptions, events: H2ConnectionEvents) {
    const readBuffer = new Uint8Array(READ_BUFFER_BYTES);
    // Asked before every read: in place when the session has a target, else the reused buffer.
    const onread = {
      buffer: () => events.target() ?? readBuffer,
      callback: (n: number, buffer: Uint8Array) =>
        buffer === readBuffer ? events.read(buffer.subarray(0, n)) : events.readInPlace(n),
    };
    if (options.tls === undefined) {
      this.socket = net.connect({ host: options.host, port: options.port, onread });
    } else {
      // `onread` works for TLS sockets too (net.Socket's option; Node's tls typings do not list it).
      const connectOptions: tls.ConnectionOptions & { onread: net.OnReadOpts } = {
        host: options.host,
        port: options.port,
        // SNI names a host, never an address (RFC 6066).
        ...(net.isIP(options.host) === 0 && { servername: options.host }),
        ...(options.tls.ca !== undefined && { ca: options.tls.ca as tls.ConnectionOptions["ca"] }),
        ALPNProtocols: ["h2"],
        onread,
      };
      const socket = tls.connect(connectOptions);
      socket.once("secureConnect", () => {
        if (socket.alpnProtocol !== "h2") {
          events.refused(
            new H2Error(
              "protocol",
              `the server did not agree to HTTP/2 over TLS (ALPN: ${JSON.stringify(socket.alpnProtocol || "none")}, expected "h2")`,
            ),
          );
        }
      });
      this.socket = socket;
    }
    this.socket.setNoDelay(true);
    this.socket.on("error", (error) => events.error(error));
    this.socket.on("close", () => events.closed());
    this.socket.on("drain", () => {
      if (!this.waitingForRoom) return;
      this.waitingForRoom = false;
      events.room();
    });
  }

  get usable(): boolean {
    return !this.socket.destroyed && !this.socket.writableEnded;
  }

  /** Whether request bytes may be handed over now; if not, `events.room()` follows once they may. */
  hasRoom(): boolean {
    if (this.socket.writableLength < SOCKET_HIGH_BYTES) return true;
    this.waitingForRoom = true;
    return false;
  }

  /** Hands request frames (a header and views of the body) to the socket, in one batch. */
  writeData(chunks: readonly Uint8Array[]): void {
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }

  /**
   * Runs `write`, handing everything it writes to the socket in one batch (one `writev` of up to 1024 parts at a
   * time): under a server's SETTINGS_MAX_FRAME_SIZE of 16 KiB (Rerun's, the default) a 6 MB frame is ~380 DATA
   * frames, which would otherwise be ~380 system calls.
   */
  batch(write: () => void): void {
    this.socket.cork();
    try {
      write();
    } finally {
      this.socket.uncork();
    }
  }

  /**
   * Sends control frames at once. Returns the error to end the connection with if the server leaves too much
   * unread (it makes us queue acknowledgements it does not read).
   */
  writeControl(frames: readonly Uint8Array[]): H2Error | undefined {
    if (!this.usable) return undefined;
    const limit = SOCKET_HIGH_BYTES + MAX_SEND_FRAME_BYTES + MAX_UNSENT_CONTROL_BYTES;
    if (this.socket.writableLength > limit) {
      return new H2Error(
        "calm",
        `the server does not read what it makes us send (${this.socket.writableLength} bytes unsent, limit ${limit})`,
      );
    }
    this.writeData(frames);
    return undefined;
  }

  /** Sends `frames` last and closes the connection; it is destroyed if it does not close within a second. */
  end(frames: readonly Uint8Array[]): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (!socket.writableEnded) {
      if (frames.length === 0) socket.end();
      else socket.end(concatBytes(frames));
    }
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Whether the connection keeps Node running (`ref`) or not (`unref`). */
  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }
}
