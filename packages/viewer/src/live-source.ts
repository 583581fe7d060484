import { type RrdMessage, rrdMessageFromProto, type sdkCommsPb } from "@iris/rrd";
import { IrisError } from "@iris/types";
import { readMessages } from "./grpc-web-read-messages.ts";

/** True for Rerun proxy URLs: `rerun+http(s)://host:port/proxy`, `rerun://host:port/proxy`. */
export function isProxyUrl(url: string): boolean {
  return /^(rerun\+https?|rerun):\/\//i.test(url.trim());
}

/** `rerun+http://h:p/proxy` → `http://h:p` (rrd-format.md §6.1). */
export function proxyBaseUrl(url: string): string {
  const m = /^(rerun\+https?|rerun):\/\/([^/?#]+)(\/proxy\/?)?$/i.exec(url.trim());
  if (!m)
    throw new IrisError("bad-url", `not a Rerun proxy URL: ${url} (expected rerun+http://host:port/proxy)`);
  return `${m[1]!.toLowerCase() === "rerun+http" ? "http" : "https"}://${m[2]}`;
}

export interface LiveSourceEvents {
  message(message: RrdMessage): void;
  /** Connection state for the status line. */
  status(text: string): void;
  warning(text: string): void;
}

/**
 * Follows a message proxy with gRPC-web `ReadMessages` (as Rerun's web viewer does; `readMessages`, one copy per
 * message): first the proxy's history, then live messages. When the stream ends or fails (server restarted…) it
 * reconnects with back-off; chunks seen twice are ignored by the store (same chunk id).
 */
export class LiveSource {
  private readonly abort = new AbortController();
  connected = false;
  receivedMessages = 0;

  constructor(
    readonly url: string,
    private readonly events: LiveSourceEvents,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const baseUrl = proxyBaseUrl(this.url);
    let backoffMs = 0;
    const onMessage = (response: sdkCommsPb.ReadMessagesResponse): void => {
      if (!this.connected) {
        this.connected = true;
        backoffMs = 0;
        this.events.status(`live: ${this.url}`);
      }
      this.receivedMessages++;
      let message: RrdMessage;
      try {
        message = rrdMessageFromProto(response.logMsg?.msg ?? { case: undefined });
      } catch (error) {
        this.events.warning(`skipped an undecodable message from ${this.url}: ${(error as Error).message}`);
        return;
      }
      this.events.message(message);
    };
    while (!this.abort.signal.aborted) {
      try {
        this.events.status(`connecting to ${this.url}`);
        await readMessages(baseUrl, onMessage, {
          signal: this.abort.signal,
          // Skipped, not a reason to reconnect: the proxy would replay the same message from its history.
          onInvalidMessage: (error) =>
            this.events.warning(`skipped an undecodable message from ${this.url}: ${error.message}`),
        });
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.events.warning(`lost ${this.url}: ${(error as Error).message}`);
      }
      this.connected = false;
      backoffMs = Math.min(5_000, backoffMs === 0 ? 250 : backoffMs * 2);
      this.events.status(`disconnected from ${this.url}; retrying in ${(backoffMs / 1000).toFixed(1)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs);
        this.abort.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}
