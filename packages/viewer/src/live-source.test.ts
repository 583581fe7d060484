import { createServer } from "node:http";
import { create, toBinary } from "@bufbuild/protobuf";
import { commonPb, grpcFrame, logMsgPb, sdkCommsPb } from "@iris/rrd";
import { afterEach, expect, it } from "vitest";
import { LiveSource } from "./live-source.ts";

const frame = (flags: number, bytes: Uint8Array): Uint8Array => grpcFrame(bytes, flags);

function arrowResponse(seed: number): Uint8Array {
  const arrowMsg = create(logMsgPb.ArrowMsgSchema, {
    storeId: { kind: commonPb.StoreKind.RECORDING, recordingId: `rec-${seed}`, applicationId: { id: "app" } },
    compression: commonPb.Compression.NONE,
    uncompressedSize: 3n,
    encoding: logMsgPb.Encoding.ARROW_IPC,
    payload: Uint8Array.of(seed, seed, seed),
  });
  const response = create(sdkCommsPb.ReadMessagesResponseSchema, {
    logMsg: { msg: { case: "arrowMsg", value: arrowMsg } },
  });
  return frame(0, toBinary(sdkCommsPb.ReadMessagesResponseSchema, response));
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

it("skips a message that does not decode without dropping the connection (the proxy would replay it)", async () => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { "content-type": "application/grpc-web+proto" });
    // A valid message, one that is not a ReadMessagesResponse, another valid one; then the stream stays open.
    res.write(arrowResponse(1));
    res.write(frame(0, Uint8Array.of(0x0a, 0x05, 1)));
    res.write(arrowResponse(2));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(
    () => server.closeAllConnections(),
    () => server.close(),
  );
  const { port } = server.address() as { port: number };
  const messages: string[] = [];
  const warnings: string[] = [];
  const source = new LiveSource(`rerun+http://127.0.0.1:${port}/proxy`, {
    message: (m) => messages.push(m.kind === "arrowMsg" ? m.storeId.recordingId : m.kind),
    status: () => undefined,
    warning: (w) => warnings.push(w),
  });
  cleanup.push(() => source.stop());
  source.start();
  const deadline = Date.now() + 10_000;
  while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(messages).toEqual(["rec-1", "rec-2"]);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^skipped an undecodable message from .*does not decode/);
  expect(requests).toBe(1);
  expect(source.connected).toBe(true);
});
