import { IrisError } from "./iris-error.ts";

/**
 * An entity path such as `/world/camera/image`, kept in Rerun's canonical string form: a leading `/`, parts
 * separated by `/`, and inside a part every character that is not alphanumeric, `_`, `-` or `.` escaped with a
 * backslash (`\ `, `\/`, `\n`, `\u{1F600}`) exactly as Rerun prints it.
 */
export class EntityPath {
  readonly parts: readonly string[];
  private readonly text: string;

  constructor(parts: readonly string[]) {
    for (const part of parts) {
      if (part.length === 0) {
        throw new EntityPathError(
          "empty-part",
          `entity path parts must be non-empty, got ${JSON.stringify(parts)}`,
        );
      }
    }
    this.parts = parts;
    this.text = "/" + parts.map(escapePart).join("/");
  }

  /** The root entity `/`. */
  static readonly root = new EntityPath([]);

  /**
   * Parses `image`, `/image`, `world/camera/` or `a\/b` (escaped slash inside a part). Empty parts from
   * doubled or trailing slashes are dropped, as Rerun's forgiving parser does.
   */
  static parse(path: string | EntityPath | readonly string[]): EntityPath {
    if (path instanceof EntityPath) return path;
    if (typeof path !== "string") return new EntityPath(path);
    const parts: string[] = [];
    let current = "";
    for (let i = 0; i < path.length; i++) {
      const ch = path[i]!;
      if (ch === "\\") {
        const next = path[i + 1];
        if (next === undefined) {
          throw new EntityPathError(
            "bad-escape",
            `entity path ${JSON.stringify(path)} ends with a lone backslash`,
          );
        }
        if (next === "u" && path[i + 2] === "{") {
          const close = path.indexOf("}", i + 3);
          const code = close < 0 ? Number.NaN : Number.parseInt(path.slice(i + 3, close), 16);
          if (!Number.isFinite(code) || code > 0x10ffff) {
            throw new EntityPathError(
              "bad-escape",
              `bad \\u{…} escape in entity path ${JSON.stringify(path)}`,
            );
          }
          current += String.fromCodePoint(code);
          i = close;
        } else {
          current += next === "n" ? "\n" : next === "r" ? "\r" : next === "t" ? "\t" : next;
          i += 1;
        }
      } else if (ch === "/") {
        if (current.length > 0) parts.push(current);
        current = "";
      } else {
        current += ch;
      }
    }
    if (current.length > 0) parts.push(current);
    return new EntityPath(parts);
  }

  get isRoot(): boolean {
    return this.parts.length === 0;
  }

  parent(): EntityPath | undefined {
    return this.isRoot ? undefined : new EntityPath(this.parts.slice(0, -1));
  }

  child(part: string): EntityPath {
    return new EntityPath([...this.parts, part]);
  }

  isDescendantOf(other: EntityPath): boolean {
    return other.parts.length < this.parts.length && other.parts.every((p, i) => this.parts[i] === p);
  }

  toString(): string {
    return this.text;
  }

  equals(other: EntityPath): boolean {
    return this.text === other.text;
  }
}

export class EntityPathError extends IrisError<"empty-part" | "bad-escape"> {}

/** Parts made only of these characters are written as they are (the common case, checked without a per-character loop). */
const PLAIN_PART = /^[A-Za-z0-9_.-]*$/;

function escapePart(part: string): string {
  if (PLAIN_PART.test(part)) return part;
  let out = "";
  for (const ch of part) {
    if (/^[\p{L}\p{N}_.-]$/u.test(ch)) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (/^[\x20-\x7e]$/.test(ch)) out += "\\" + ch;
    else out += `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
  }
  return out;
}
