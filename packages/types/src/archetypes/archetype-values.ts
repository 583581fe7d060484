import { IrisError } from "../iris-error.ts";

/** Machine-readable reasons a Pinhole, Transform3D or AnnotationContext value is rejected. */
export type ArchetypeErrorKind =
  | "invalid-value"
  | "wrong-length"
  | "conflicting-options"
  | "missing-value"
  | "unknown-enum"
  | "duplicate-id";

/** Bad input to a spatial archetype; `expected`/`actual` repeat what the message names. */
export class ArchetypeError extends IrisError<ArchetypeErrorKind> {
  readonly expected?: string | number;
  readonly actual?: string | number;

  constructor(
    kind: ArchetypeErrorKind,
    message: string,
    details: { expected?: string | number; actual?: string | number } = {},
  ) {
    super(kind, message);
    if (details.expected !== undefined) this.expected = details.expected;
    if (details.actual !== undefined) this.actual = details.actual;
  }
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(describeValue).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  if (v !== null && typeof v === "object") return ArrayBuffer.isView(v) ? v.constructor.name : "object";
  return String(v);
}

/** A finite number, else ArchetypeError "invalid-value". */
export function finite(context: string, v: unknown, opts: { positive?: boolean; min?: number } = {}): number {
  const ok =
    typeof v === "number" &&
    Number.isFinite(v) &&
    (!opts.positive || v > 0) &&
    (opts.min === undefined || v >= opts.min);
  if (!ok) {
    const expected = opts.positive
      ? "finite number > 0"
      : opts.min !== undefined
        ? `finite number >= ${opts.min}`
        : "finite number";
    throw new ArchetypeError("invalid-value", `${context} must be a ${expected}, got ${describeValue(v)}`, {
      expected,
      actual: describeValue(v),
    });
  }
  return v as number;
}

/** Exactly `n` finite numbers (array or typed array), else ArchetypeError. */
export function vector(context: string, v: unknown, n: number): number[] {
  const isList = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isList) {
    throw new ArchetypeError("invalid-value", `${context} must be ${n} numbers, got ${describeValue(v)}`, {
      expected: `${n} numbers`,
      actual: describeValue(v),
    });
  }
  const values = Array.from(v as ArrayLike<number>);
  if (values.length !== n) {
    throw new ArchetypeError("wrong-length", `${context} needs ${n} numbers, got ${values.length}`, {
      expected: n,
      actual: values.length,
    });
  }
  values.forEach((x, i) => finite(`${context}[${i}]`, x));
  return values;
}

/** A 3×3 matrix given as rows `[[r0c0, r0c1, r0c2], …]`, flattened to Rerun's column-major order. */
export function rowsToColumnMajor(context: string, rows: unknown): number[] {
  if (!Array.isArray(rows) || rows.length !== 3) {
    throw new ArchetypeError(
      "wrong-length",
      `${context} needs 3 rows of 3 numbers, got ${describeValue(rows)}`,
      {
        expected: "3 rows",
        actual: Array.isArray(rows) ? rows.length : describeValue(rows),
      },
    );
  }
  const r = rows.map((row, i) => vector(`${context} row ${i}`, row, 3));
  return [0, 1, 2].flatMap((c) => [r[0]![c]!, r[1]![c]!, r[2]![c]!]);
}

/** A non-empty string (frame ids), else ArchetypeError. */
export function nonEmptyString(context: string, v: unknown): string {
  if (typeof v !== "string" || v.length === 0) {
    throw new ArchetypeError(
      "invalid-value",
      `${context} must be a non-empty string, got ${describeValue(v)}`,
      {
        expected: "non-empty string",
        actual: describeValue(v),
      },
    );
  }
  return v;
}

/** An sRGB colour: packed `0xRRGGBBAA`, or `[r, g, b]` / `[r, g, b, a]` with 0–255 integer channels. */
export type ColorLike =
  number | readonly [number, number, number] | readonly [number, number, number, number];

/** Packs a colour as Rerun's Rgba32 (R in the most significant byte, opaque when alpha is absent). */
export function packColor(context: string, c: ColorLike): number {
  if (typeof c === "number") {
    if (!Number.isInteger(c) || c < 0 || c > 0xffffffff) {
      throw new ArchetypeError("invalid-value", `${context} must be a 0xRRGGBBAA integer, got ${String(c)}`, {
        expected: "integer 0..0xFFFFFFFF",
        actual: String(c),
      });
    }
    return c;
  }
  if (!Array.isArray(c) || (c.length !== 3 && c.length !== 4)) {
    throw new ArchetypeError(
      "wrong-length",
      `${context} needs [r, g, b] or [r, g, b, a], got ${describeValue(c)}`,
      {
        expected: "3 or 4 channels",
        actual: Array.isArray(c) ? c.length : describeValue(c),
      },
    );
  }
  const channels = c as readonly number[];
  channels.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0 || x > 255) {
      throw new ArchetypeError(
        "invalid-value",
        `${context}[${i}] must be an integer 0..255, got ${String(x)}`,
        {
          expected: "integer 0..255",
          actual: String(x),
        },
      );
    }
  });
  const [r, g, b, a = 255] = channels as [number, number, number, number?];
  return ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** Parses an enum value or name (case-insensitive), else ArchetypeError "unknown-enum". */
export function parseNamedEnum<T extends number>(
  enumName: string,
  table: Readonly<Record<string, T>>,
  x: unknown,
): T {
  const values = Object.values(table) as number[];
  if (typeof x === "number" && values.includes(x)) return x as T;
  if (typeof x === "string") {
    const wanted = x.trim().toLowerCase();
    for (const [name, v] of Object.entries(table)) if (name.toLowerCase() === wanted) return v;
  }
  const expected = Object.entries(table)
    .map(([n, v]) => `${n}=${v}`)
    .join(", ");
  throw new ArchetypeError(
    "unknown-enum",
    `Unknown ${enumName} ${describeValue(x)}; expected one of ${expected}`,
    {
      expected,
      actual: describeValue(x),
    },
  );
}
