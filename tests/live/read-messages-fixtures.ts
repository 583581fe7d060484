// What the readMessages suites share: small messages, their ReadMessagesResponse frames, and reading a proxy
// to the end (or to its error).
import { create, toBinary } from "@bufbuild/protobuf";
import { type RrdMessage, grpcFrame, rrdMessageToProto, sdkCommsPb } from "@iris/rrd";
import { LiveError } from "@iris/sdk";
import { readMessages } from "@iris/sdk/node";
import { Tuid } from "@iris/types";
import { expect } from "vitest";

/** A SetStoreInfo of recording `recordingId` (application "app"), with `extra` bytes as its store source if given. */
export function storeInfo(recordingId: string, extra?: Uint8Array): RrdMessage {
  return {
    kind: "setStoreInfo",
    rowId: new Tuid(1n, 2n),
    storeId: { kind: "recording", recordingId, applicationId: "app" },
    ...(extra === undefined ? {} : { storeSource: { kind: 6, extra } }),
  };
}

/** A ReadMessagesResponse carrying `message`, as a gRPC frame. */
export function responseFrame(message: RrdMessage): Uint8Array {
  const response = create(sdkCommsPb.ReadMessagesResponseSchema, {
    logMsg: { msg: rrdMessageToProto(message) },
  });
  return grpcFrame(toBinary(sdkCommsPb.ReadMessagesResponseSchema, response), 0);
}

export type ReadOptions = NonNullable<Parameters<typeof readMessages>[1]>;

/** Every message `readMessages(url)` yields until it ends. */
export async function collect(url: string, options: ReadOptions = {}): Promise<RrdMessage[]> {
  const out: RrdMessage[] = [];
  for await (const m of readMessages(url, options)) out.push(m);
  return out;
}

/** The `LiveError` that `readMessages(url)` ends with (the test fails if it ends without one). */
export async function failure(url: string, options: ReadOptions = {}): Promise<LiveError> {
  try {
    await collect(url, options);
  } catch (error) {
    expect(error).toBeInstanceOf(LiveError);
    return error as LiveError;
  }
  throw new Error("expected readMessages to fail");
}
