// Files over 2 GiB (issue 15): the CLI used to read a recording whole (readFileSync), which fails past 2 GiB with
// ERR_FS_FILE_TOO_LARGE; it now streams the file through rrdFileEvents, and stops reading once the decoder has
// stopped (here: zeros after the recording's footer).
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import { MemorySink, RrdEncoder, type RrdMessage } from "@iris/rrd";
import { defaultTuidGenerator } from "@iris/types";

const STORE = { kind: "recording", recordingId: "big", applicationId: "big_app" } as const;

describe("a recording file over 2 GiB", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-big-file-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "big.rrd");
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink);
  encoder.write({
    kind: "setStoreInfo",
    rowId: defaultTuidGenerator.next(),
    storeId: STORE,
  } satisfies RrdMessage);
  encoder.finish();
  writeFileSync(path, sink.toBytes());
  truncateSync(path, 2 ** 31 + 4096); // sparse: 2 GiB of zeros after the recording use no disk

  it("cannot be read whole (what the CLI did before), but iris print and verify read it", async () => {
    expect(() => readFileSync(path)).toThrow(expect.objectContaining({ code: "ERR_FS_FILE_TOO_LARGE" }));
    let out = "";
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t) };
    expect(await main(["print", path, "--json"], io)).toBe(0);
    const printed = JSON.parse(out) as { sizeBytes: number; stores: unknown[] };
    expect(printed.sizeBytes).toBe(2 ** 31 + 4096);
    expect(printed.stores).toHaveLength(1);
    out = "";
    await main(["verify", path, "--json"], io);
    expect(out).toContain("trailing-bytes"); // the zeros, reported, not read to the end
  });
});
