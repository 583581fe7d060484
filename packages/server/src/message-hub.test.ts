import { create } from "@bufbuild/protobuf";
import { commonPb, logMsgPb } from "@iris/rrd";
import { describe, expect, it } from "vitest";
import { MessageHub } from "./message-hub.ts";

/** A recording ArrowMsg whose payload is `bytes` long and starts with `tag`. */
function arrow(tag: number, bytes: number): logMsgPb.LogMsg {
  const payload = new Uint8Array(bytes);
  payload[0] = tag;
  return create(logMsgPb.LogMsgSchema, {
    msg: {
      case: "arrowMsg",
      value: {
        storeId: { kind: commonPb.StoreKind.RECORDING, recordingId: "r", applicationId: { id: "a" } },
        compression: commonPb.Compression.NONE,
        uncompressedSize: BigInt(bytes),
        encoding: logMsgPb.Encoding.ARROW_IPC,
        payload,
      },
    },
  });
}

function tagOf(msg: logMsgPb.LogMsg | undefined): number | undefined {
  return msg?.msg.case === "arrowMsg" ? msg.msg.value.payload[0] : undefined;
}

describe("MessageHub", () => {
  it("evicting history does not take messages from a live viewer's queue (it has its own bound)", async () => {
    const drops: string[] = [];
    // History holds about two messages; each viewer's queue holds all twenty.
    const hub = new MessageHub({
      backlogBytes: 3000, // 1256 bytes counted per message
      viewerQueueBytes: 100_000,
      onDrop: (r) => drops.push(r.where),
    });
    const viewer = hub.subscribe();
    for (let i = 0; i < 20; i++) hub.publish(arrow(i, 1000));
    expect(drops).toContain("backlog");
    expect(drops).not.toContain("viewer");
    const got: (number | undefined)[] = [];
    for (let i = 0; i < 20; i++) got.push(tagOf(await viewer.next()));
    expect(got).toEqual([...Array(20).keys()]);
    // A viewer that connects now replays only what the history still holds.
    const late = hub.subscribe();
    expect(tagOf(await late.next())).toBe(18);
  });

  it("delivers live a message larger than the whole history limit", async () => {
    const hub = new MessageHub({ backlogBytes: 100, viewerQueueBytes: 100_000 });
    const viewer = hub.subscribe();
    hub.publish(arrow(7, 5000));
    expect(tagOf(await viewer.next())).toBe(7);
  });

  it("shares one live record, and its serialized frame, between viewers", async () => {
    const hub = new MessageHub({ backlogBytes: 100_000, viewerQueueBytes: 100_000 });
    const a = hub.subscribe();
    const b = hub.subscribe();
    const frame = new Uint8Array([0, 0, 0, 0, 1, 9]);
    hub.publish(arrow(1, 10), frame);
    const ea = await a.nextEntry();
    const eb = await b.nextEntry();
    expect(ea).toBe(eb);
    expect(ea?.frame).toBe(frame);
  });
});
