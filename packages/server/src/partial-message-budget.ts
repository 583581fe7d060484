import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The bytes that unfinished producer messages (a gRPC frame whose header arrived, whose body has not) may hold,
 * over all connections: `iris serve --memory-limit`. A message is charged its declared length when its header
 * arrives — before its buffer is allocated — and credited when it completes or its stream ends. A header that
 * would exceed the budget ends that call with RESOURCE_EXHAUSTED, so a few half-sent messages cannot pin memory
 * past the limit (4 streams held 925 MB with a 64 MiB limit). The history (`MessageHub`) has its own budget of
 * the same size, so the proxy holds at most twice the limit in messages.
 */
export class PartialMessageBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  reserve(bytes: number): void {
    if (this.used + bytes > this.limitBytes) {
      throw new ConnectError(
        `a message of ${bytes} bytes would make unfinished messages hold ${this.used + bytes} bytes, ` +
          `over the memory limit of ${this.limitBytes} (--memory-limit)`,
        Code.ResourceExhausted,
      );
    }
    this.used += bytes;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
