// Peer row for the file-logging benchmark: Foxglove's MCAP writer (`@mcap/core`) writing the same frames.
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { McapWriter } from "@mcap/core";

/** MCAP's `IWritable` over a file descriptor with synchronous writes (the same class of syscall as Iris's FileSink). */
class FdWritable {
  private offset = 0n;
  constructor(private readonly fd: number) {}
  position(): bigint {
    return this.offset;
  }
  write(buffer: Uint8Array): Promise<void> {
    let done = 0;
    while (done < buffer.length) done += writeSync(this.fd, buffer, done, buffer.length - done);
    this.offset += BigInt(buffer.length);
    return Promise.resolve();
  }
}

/**
 * Writes `frames` 1920×1080 RGB8 frames (cycling through `pool`) as MCAP messages on one channel, with the writer's
 * defaults (chunked, 1 MiB chunks, no chunk compression, message/chunk indexes and statistics), then fsyncs once.
 * Each message's data is the frame's raw pixels (no serialization: the cheapest an MCAP producer can do).
 */
export async function writeMcap(path: string, pool: readonly Uint8Array[], frames: number): Promise<void> {
  const fd = openSync(path, "w");
  try {
    const writer = new McapWriter({ writable: new FdWritable(fd) });
    await writer.start({ profile: "", library: "iris-bench" });
    const channelId = await writer.registerChannel({
      schemaId: 0,
      topic: "camera/image",
      messageEncoding: "rgb8-1920x1080",
      metadata: new Map(),
    });
    for (let i = 0; i < frames; i++) {
      const time = BigInt(i) * 33_000_000n;
      await writer.addMessage({
        channelId,
        sequence: i,
        logTime: time,
        publishTime: time,
        data: pool[i % pool.length]!,
      });
    }
    await writer.end();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
