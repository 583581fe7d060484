/** Where an encoder writes. `write` may keep the given bytes (they are never modified afterwards). */
export interface ByteSink {
  write(bytes: Uint8Array): void;
}
