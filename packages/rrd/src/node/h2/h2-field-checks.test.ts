import { describe, expect, it } from "vitest";
import { malformedField } from "./h2-field-checks.ts";

const RESPONSE: [string, string][] = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];

describe("malformedField (RFC 9113 §8.2.1, §8.3)", () => {
  it("accepts a well-formed response, informational response and trailers", () => {
    expect(malformedField(RESPONSE, false)).toBeUndefined();
    expect(
      malformedField(
        [
          [":status", "103"],
          ["link", "</a>; rel=preload"],
        ],
        false,
      ),
    ).toBeUndefined();
    expect(
      malformedField(
        [
          ["grpc-status", "0"],
          ["grpc-message", "tab\tand space "],
        ],
        true,
      ),
    ).toBeUndefined();
    expect(malformedField([["x-bytes", "caf\u00e9 \u0001\u007f"]], true)).toBeUndefined(); // obs-text, other controls
  });

  it.each([
    [
      "a LF in a value (found by fuzz-h2: grpc-status 0\\n)",
      [["grpc-status", "0\n"]],
      true,
      /value with the character 0xa/,
    ],
    ["a CR in a value", [...RESPONSE, ["x", "a\rb"]], false, /value with the character 0xd/],
    ["a NUL in a value", [...RESPONSE, ["x", "a\u0000"]], false, /value with the character 0x0/],
    ["an upper-case name", [...RESPONSE, ["Content-Length", "1"]], false, /name with the character 0x43/],
    ["a space in a name", [...RESPONSE, ["x y", "1"]], false, /name with the character 0x20/],
    ["a non-ASCII name", [...RESPONSE, ["caf\u00e9", "1"]], false, /name with the character 0xe9/],
    ["a colon inside a name", [...RESPONSE, ["x:y", "1"]], false, /name with the character 0x3a/],
    ["an empty name", [...RESPONSE, ["", "1"]], false, /empty name/],
    ["a request pseudo-header", [...RESPONSE, [":path", "/"]], false, /pseudo-header ":path"/],
    [
      "a pseudo-header in trailers",
      [
        [":status", "200"],
        ["grpc-status", "0"],
      ],
      true,
      /trailers hold/,
    ],
    [
      ":status after a field",
      [
        ["content-type", "x"],
        [":status", "200"],
      ],
      false,
      /after other fields/,
    ],
    [
      ":status twice",
      [
        [":status", "200"],
        [":status", "200"],
      ],
      false,
      /twice/,
    ],
    [":status not three digits", [[":status", "20"]], false, /three digits/],
    ["no :status", [["content-type", "application/grpc"]], false, /no :status/],
  ] as const)("refuses %s", (_, fields, trailers, pattern) => {
    expect(malformedField(fields, trailers)).toMatch(pattern);
  });

  it("describes a name without passing its control characters on", () => {
    const text = malformedField([...RESPONSE, ["x\u001b[2J", "1"]], false)!;
    expect(text).toMatch(/0x1b/);
    expect(text).not.toContain("\u001b");
  });
});
