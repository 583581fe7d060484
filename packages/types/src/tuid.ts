import { IrisError } from "./iris-error.ts";
import { wallClockNanos } from "./wall-clock.ts";

/**
 * A time-based unique id (Rerun's `re_tuid`): the upper 64 bits are nanoseconds since the Unix epoch, the lower
 * 64 bits a per-process counter. RowIds and ChunkIds are TUIDs. In Arrow they are 16 big-endian bytes, so the raw
 * bytes sort in creation order; in protobuf they are two little-endian fixed64 fields.
 */
export class Tuid {
  readonly timeNanos: bigint;
  readonly inc: bigint;

  constructor(timeNanos: bigint, inc: bigint) {
    if (timeNanos < 0n || timeNanos > U64_MAX || inc < 0n || inc > U64_MAX) {
      throw new IrisError("invalid-tuid", `TUID parts must be u64, got timeNanos=${timeNanos} inc=${inc}`);
    }
    this.timeNanos = timeNanos;
    this.inc = inc;
  }

  /** Writes the 16 big-endian bytes into `out` at `offset`. */
  writeBytes(out: Uint8Array, offset = 0): void {
    const view = new DataView(out.buffer, out.byteOffset + offset, 16);
    view.setBigUint64(0, this.timeNanos, false);
    view.setBigUint64(8, this.inc, false);
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(16);
    this.writeBytes(out);
    return out;
  }

  static fromBytes(bytes: Uint8Array, offset = 0): Tuid {
    if (bytes.length - offset < 16) {
      throw new IrisError("invalid-tuid", `a TUID needs 16 bytes, got ${bytes.length - offset}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
    return new Tuid(view.getBigUint64(0, false), view.getBigUint64(8, false));
  }

  /** Rerun's string form: 16 upper-case hex digits of the time, then 16 lower-case hex digits of the counter. */
  toString(): string {
    return (
      this.timeNanos.toString(16).padStart(16, "0").toUpperCase() + this.inc.toString(16).padStart(16, "0")
    );
  }

  /** Parses `toString()` output, case-insensitively, with an optional `chunk_` / `row_` prefix. */
  static parse(text: string): Tuid {
    const hex = text.replace(/^(chunk_|row_)/, "");
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
      throw new IrisError("invalid-tuid", `expected 32 hex digits for a TUID, got ${JSON.stringify(text)}`);
    }
    return new Tuid(BigInt(`0x${hex.slice(0, 16)}`), BigInt(`0x${hex.slice(16)}`));
  }

  compare(other: Tuid): number {
    if (this.timeNanos !== other.timeNanos) return this.timeNanos < other.timeNanos ? -1 : 1;
    if (this.inc !== other.inc) return this.inc < other.inc ? -1 : 1;
    return 0;
  }

  equals(other: Tuid): boolean {
    return this.timeNanos === other.timeNanos && this.inc === other.inc;
  }
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * Makes strictly increasing TUIDs: the time part never goes backwards even if the wall clock does, and the
 * counter starts at a random value with the top bit clear, as in Rerun.
 */
export class TuidGenerator {
  private lastTimeNanos = 0n;
  private inc: bigint;
  private readonly nowNanos: () => bigint;

  constructor(options: { nowNanos?: () => bigint; startInc?: bigint } = {}) {
    this.nowNanos = options.nowNanos ?? wallClockNanos;
    this.inc = options.startInc ?? randomStartInc();
  }

  next(): Tuid {
    const now = this.nowNanos();
    this.lastTimeNanos = now > this.lastTimeNanos ? now : this.lastTimeNanos;
    this.inc = (this.inc + 1n) & U64_MAX;
    return new Tuid(this.lastTimeNanos, this.inc);
  }
}

function randomStartInc(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (BigInt(words[0]! & 0x7fffffff) << 32n) | BigInt(words[1]!);
}

/** The process-wide generator used for RowIds and ChunkIds. */
export const defaultTuidGenerator = new TuidGenerator();
