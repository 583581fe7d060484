// HPACK decoder against RFC 7541 Appendix C: byte strings, decoded lists and dynamic tables typed from the RFC.
import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder.ts";

function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

type Fields = [string, string][];

interface Step {
  block: string;
  fields: Fields;
  /** Dynamic table after the block, newest first, and its size. */
  table: Fields;
  tableBytes: number;
}

function runSequence(maxTableBytes: number, steps: Step[]): void {
  const decoder = new HpackDecoder({ maxTableBytes });
  for (const step of steps) {
    expect(decoder.decode(hex(step.block))).toEqual(step.fields);
    expect(decoder.dynamicTableEntries()).toEqual(step.table);
    expect(decoder.dynamicTableBytes).toBe(step.tableBytes);
  }
}

const AUTHORITY: [string, string] = [":authority", "www.example.com"];
const NO_CACHE: [string, string] = ["cache-control", "no-cache"];
const CUSTOM: [string, string] = ["custom-key", "custom-value"];
const GET_HTTP: Fields = [[":method", "GET"], [":scheme", "http"], [":path", "/"], AUTHORITY];
const GET_HTTPS_INDEX: Fields = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  AUTHORITY,
  CUSTOM,
];

const STATUS_302: [string, string] = [":status", "302"];
const STATUS_307: [string, string] = [":status", "307"];
const PRIVATE: [string, string] = ["cache-control", "private"];
const DATE_21: [string, string] = ["date", "Mon, 21 Oct 2013 20:13:21 GMT"];
const DATE_22: [string, string] = ["date", "Mon, 21 Oct 2013 20:13:22 GMT"];
const LOCATION: [string, string] = ["location", "https://www.example.com"];
const GZIP: [string, string] = ["content-encoding", "gzip"];
const COOKIE: [string, string] = ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"];

function requests(blocks: [string, string, string]): Step[] {
  return [
    { block: blocks[0], fields: GET_HTTP, table: [AUTHORITY], tableBytes: 57 },
    { block: blocks[1], fields: [...GET_HTTP, NO_CACHE], table: [NO_CACHE, AUTHORITY], tableBytes: 110 },
    { block: blocks[2], fields: GET_HTTPS_INDEX, table: [CUSTOM, NO_CACHE, AUTHORITY], tableBytes: 164 },
  ];
}

function responses(blocks: [string, string, string]): Step[] {
  return [
    {
      block: blocks[0],
      fields: [STATUS_302, PRIVATE, DATE_21, LOCATION],
      table: [LOCATION, DATE_21, PRIVATE, STATUS_302],
      tableBytes: 222,
    },
    {
      block: blocks[1],
      fields: [STATUS_307, PRIVATE, DATE_21, LOCATION],
      table: [STATUS_307, LOCATION, DATE_21, PRIVATE],
      tableBytes: 222,
    },
    {
      block: blocks[2],
      fields: [[":status", "200"], PRIVATE, DATE_22, LOCATION, GZIP, COOKIE],
      table: [COOKIE, GZIP, DATE_22],
      tableBytes: 215,
    },
  ];
}

describe("HpackDecoder on RFC 7541 Appendix C", () => {
  it("C.2.1 literal field with indexing", () => {
    runSequence(4096, [
      {
        block: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        fields: [["custom-key", "custom-header"]],
        table: [["custom-key", "custom-header"]],
        tableBytes: 55,
      },
    ]);
  });

  it("C.2.2 literal field without indexing", () => {
    runSequence(4096, [
      {
        block: "040c 2f73 616d 706c 652f 7061 7468",
        fields: [[":path", "/sample/path"]],
        table: [],
        tableBytes: 0,
      },
    ]);
  });

  it("C.2.3 literal field never indexed", () => {
    runSequence(4096, [
      {
        block: "1008 7061 7373 776f 7264 0673 6563 7265 74",
        fields: [["password", "secret"]],
        table: [],
        tableBytes: 0,
      },
    ]);
  });

  it("C.2.4 indexed field", () => {
    runSequence(4096, [{ block: "82", fields: [[":method", "GET"]], table: [], tableBytes: 0 }]);
  });

  it("C.3 requests without Huffman coding, one decoder", () => {
    runSequence(
      4096,
      requests([
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
      ]),
    );
  });

  it("C.4 requests with Huffman coding, one decoder", () => {
    runSequence(
      4096,
      requests([
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
      ]),
    );
  });

  it("C.5 responses without Huffman coding, 256-byte table with eviction", () => {
    runSequence(
      256,
      responses([
        `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
         2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
         6c65 2e63 6f6d`,
        "4803 3330 37c1 c0bf",
        `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
         54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
         5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
         3d31`,
      ]),
    );
  });

  it("C.6 responses with Huffman coding, 256-byte table with eviction", () => {
    runSequence(
      256,
      responses([
        `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
         2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        "4883 640e ffc1 c0bf",
        `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
         77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
         9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
      ]),
    );
  });
});
