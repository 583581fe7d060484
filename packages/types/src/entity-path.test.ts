import { describe, expect, it } from "vitest";
import { EntityPath, EntityPathError } from "./entity-path.ts";

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EntityPathError);
    return (e as EntityPathError).kind;
  }
  return undefined;
}

describe("EntityPath string form (rrd-format.md §4.2)", () => {
  it("prints the root as /", () => {
    expect(EntityPath.root.toString()).toBe("/");
    expect(EntityPath.root.isRoot).toBe(true);
    expect(new EntityPath([]).toString()).toBe("/");
  });

  it("prints plain parts as-is with a leading slash", () => {
    expect(new EntityPath(["world", "camera", "image"]).toString()).toBe("/world/camera/image");
    expect(new EntityPath(["a_b-c.d", "0", "Z9"]).toString()).toBe("/a_b-c.d/0/Z9");
  });

  it("keeps Unicode letters and digits unescaped", () => {
    expect(new EntityPath(["héllo", "日本語", "Ωmega", "٣"]).toString()).toBe("/héllo/日本語/Ωmega/٣");
  });

  it("backslash-escapes ASCII space and punctuation", () => {
    expect(new EntityPath(["a b"]).toString()).toBe("/a\\ b");
    expect(new EntityPath(["a/b"]).toString()).toBe("/a\\/b");
    expect(new EntityPath(["my image!"]).toString()).toBe("/my\\ image\\!");
    expect(new EntityPath(["x\\y"]).toString()).toBe("/x\\\\y");
    expect(new EntityPath(['"q"', "#1", "a:b", "[0]"]).toString()).toBe('/\\"q\\"/\\#1/a\\:b/\\[0\\]');
  });

  it("writes newline, carriage return and tab as \\n, \\r, \\t", () => {
    expect(new EntityPath(["a\nb\rc\td"]).toString()).toBe("/a\\nb\\rc\\td");
  });

  it("writes other characters as \\u{hex}", () => {
    expect(new EntityPath(["😀"]).toString().toLowerCase()).toBe("/\\u{1f600}");
    expect(new EntityPath(["€5"]).toString().toLowerCase()).toBe("/\\u{20ac}5");
    expect(new EntityPath(["\u0000"]).toString().toLowerCase()).toBe("/\\u{0}");
  });

  it("refuses empty parts", () => {
    expect(kindOf(() => new EntityPath(["a", ""]))).toBe("empty-part");
  });
});

describe("EntityPath.parse", () => {
  it("adds the leading slash and splits on /", () => {
    const p = EntityPath.parse("world/camera/image");
    expect(p.parts).toEqual(["world", "camera", "image"]);
    expect(p.toString()).toBe("/world/camera/image");
    expect(EntityPath.parse("/image").toString()).toBe("/image");
    expect(EntityPath.parse("image").toString()).toBe("/image");
  });

  it("drops empty parts from doubled, leading and trailing slashes", () => {
    expect(EntityPath.parse("//a//b/").parts).toEqual(["a", "b"]);
    expect(EntityPath.parse("a///b").toString()).toBe("/a/b");
    expect(EntityPath.parse("/").isRoot).toBe(true);
    expect(EntityPath.parse("").isRoot).toBe(true);
    expect(EntityPath.parse("///").toString()).toBe("/");
  });

  it("reads escaped space and slash as part of a part", () => {
    const p = EntityPath.parse("/a\\ b/c\\/d");
    expect(p.parts).toEqual(["a b", "c/d"]);
    expect(p.toString()).toBe("/a\\ b/c\\/d");
  });

  it("escapes unescaped specials when printing: `a b` → `/a\\ b`", () => {
    expect(EntityPath.parse("a b").toString()).toBe("/a\\ b");
    expect(EntityPath.parse("my image!/x").toString()).toBe("/my\\ image\\!/x");
  });

  it("reads \\n, \\r, \\t escapes", () => {
    expect(EntityPath.parse("a\\nb\\tc\\rd").parts).toEqual(["a\nb\tc\rd"]);
  });

  it("reads \\u{…} escapes in either case", () => {
    expect(EntityPath.parse("/\\u{1F600}").parts).toEqual(["😀"]);
    expect(EntityPath.parse("/x\\u{1f600}y").parts).toEqual(["x😀y"]);
    expect(EntityPath.parse("\\u{20AC}").parts).toEqual(["€"]);
  });

  it("keeps Unicode as-is", () => {
    expect(EntityPath.parse("/日本/héllo").parts).toEqual(["日本", "héllo"]);
  });

  it("rejects a lone trailing backslash and malformed \\u escapes", () => {
    expect(kindOf(() => EntityPath.parse("a\\"))).toBe("bad-escape");
    expect(kindOf(() => EntityPath.parse("a\\u{12"))).toBe("bad-escape");
    expect(kindOf(() => EntityPath.parse("a\\u{zz}"))).toBe("bad-escape");
    expect(kindOf(() => EntityPath.parse("a\\u{110000}"))).toBe("bad-escape");
  });

  it("round-trips any parts through toString and parse", () => {
    const partsList: string[][] = [
      ["a b", "c/d", "e\\f"],
      ["😀", "€", "日本"],
      ["tab\there", "new\nline", "cr\rx"],
      ["!\"#$%&'()*+,:;<=>?@[]^`{|}~"],
      ["u{not an escape}", "\\u{41}"],
    ];
    for (const parts of partsList) {
      const text = new EntityPath(parts).toString();
      expect(EntityPath.parse(text).parts, text).toEqual(parts);
      expect(EntityPath.parse(text).toString()).toBe(text);
    }
  });

  it("accepts an EntityPath or a parts array", () => {
    const p = new EntityPath(["a b"]);
    expect(EntityPath.parse(p)).toBe(p);
    expect(EntityPath.parse(["x", "y z"]).toString()).toBe("/x/y\\ z");
  });
});

describe("EntityPath tree helpers", () => {
  it("parent, child, descendant and equality", () => {
    const p = EntityPath.parse("/world/camera");
    expect(p.child("image").toString()).toBe("/world/camera/image");
    expect(p.parent()!.toString()).toBe("/world");
    expect(EntityPath.parse("/world").parent()!.isRoot).toBe(true);
    expect(EntityPath.root.parent()).toBeUndefined();
    expect(p.child("image").isDescendantOf(p)).toBe(true);
    expect(p.child("image").isDescendantOf(EntityPath.root)).toBe(true);
    expect(p.isDescendantOf(p)).toBe(false);
    expect(EntityPath.parse("/worldx/camera").isDescendantOf(EntityPath.parse("/world"))).toBe(false);
    expect(EntityPath.parse("world//camera/").equals(p)).toBe(true);
    expect(EntityPath.parse("/world/Camera").equals(p)).toBe(false);
  });
});
