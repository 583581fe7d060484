// The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of header fields, newest first, bounded by a size in
// bytes where each entry counts name length + value length + 32.

/** RFC 7541 §4.1: the per-entry overhead added to name and value lengths. */
export const ENTRY_OVERHEAD_BYTES = 32;

export class HpackDynamicTable {
  // A ring buffer: the oldest entry is at `head`, the newest at `head + count - 1` (mod capacity).
  private names: string[] = new Array<string>(16);
  private values: string[] = new Array<string>(16);
  private head = 0;
  private count = 0;
  private sizeBytes = 0;
  private maxSizeBytes: number;

  constructor(maxSizeBytes: number) {
    this.maxSizeBytes = maxSizeBytes;
  }

  /** Number of entries. */
  get length(): number {
    return this.count;
  }

  /** Current size, RFC 7541 §4.1. */
  get size(): number {
    return this.sizeBytes;
  }

  /** Current maximum size (the last dynamic table size update, or the initial one). */
  get maxSize(): number {
    return this.maxSizeBytes;
  }

  /** Name of entry `index` (1 = newest); `index` must be in 1..length. */
  name(index: number): string {
    return this.names[this.slot(index)] ?? "";
  }

  /** Value of entry `index` (1 = newest); `index` must be in 1..length. */
  value(index: number): string {
    return this.values[this.slot(index)] ?? "";
  }

  /** RFC 7541 §4.4: evicts until the entry fits, then inserts it; an entry larger than the maximum empties the table. */
  add(name: string, value: string): void {
    const entryBytes = name.length + value.length + ENTRY_OVERHEAD_BYTES;
    if (entryBytes > this.maxSizeBytes) {
      this.clear();
      return;
    }
    this.evictDownTo(this.maxSizeBytes - entryBytes);
    if (this.count === this.names.length) this.grow();
    const slot = (this.head + this.count) % this.names.length;
    this.names[slot] = name;
    this.values[slot] = value;
    this.count++;
    this.sizeBytes += entryBytes;
  }

  /** RFC 7541 §4.3: a new maximum size; evicts entries until the table fits it. */
  setMaxSize(maxSizeBytes: number): void {
    this.maxSizeBytes = maxSizeBytes;
    this.evictDownTo(maxSizeBytes);
  }

  private slot(index: number): number {
    return (this.head + this.count - index) % this.names.length;
  }

  private evictDownTo(limitBytes: number): void {
    while (this.sizeBytes > limitBytes && this.count > 0) {
      const name = this.names[this.head] ?? "";
      const value = this.values[this.head] ?? "";
      this.sizeBytes -= name.length + value.length + ENTRY_OVERHEAD_BYTES;
      this.names[this.head] = "";
      this.values[this.head] = "";
      this.head = (this.head + 1) % this.names.length;
      this.count--;
    }
  }

  private clear(): void {
    this.evictDownTo(0);
    this.head = 0;
  }

  private grow(): void {
    const capacity = this.names.length;
    const names = new Array<string>(capacity * 2);
    const values = new Array<string>(capacity * 2);
    for (let i = 0; i < this.count; i++) {
      names[i] = this.names[(this.head + i) % capacity] ?? "";
      values[i] = this.values[(this.head + i) % capacity] ?? "";
    }
    this.names = names;
    this.values = values;
    this.head = 0;
  }
}
