import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder.ts";
import { encodeLiteralHeaderBlock } from "./hpack-literal.ts";

describe("encodeLiteralHeaderBlock", () => {
  it("encodes what an HPACK decoder reads back, leaving its dynamic table empty", () => {
    const fields: [string, string][] = [
      [":method", "POST"],
      [":scheme", "http"],
      [":path", "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages"],
      [":authority", "127.0.0.1:9876"],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
      ["x-long", "v".repeat(300)], // a length past the 7-bit prefix
    ];
    const decoder = new HpackDecoder();
    expect(decoder.decode(encodeLiteralHeaderBlock(fields))).toEqual(fields);
    expect(decoder.dynamicTableBytes).toBe(0);
  });

  it("writes the bytes RFC 7541 gives for a literal without indexing of an indexed name", () => {
    // RFC 7541 C.2.2: ":path: /sample/path" as 040c 2f73 616d 706c 652f 7061 7468.
    expect([...encodeLiteralHeaderBlock([[":path", "/sample/path"]])]).toEqual([
      0x04,
      0x0c,
      ...new TextEncoder().encode("/sample/path"),
    ]);
  });
});
