import { storeKey } from "@iris/rrd";
import { MAX_DECOMPRESSED_BYTES_OPTION, readOptionsOf } from "../decompression-option.ts";
import { type RecordBatch, tableFromIPC } from "apache-arrow";
import { MetadataKey, ROW_ID_COLUMN, SORBET_READ_VERSION, compareSorbetVersions } from "@iris/chunk";
import {
  type ComponentType,
  type ImageFormat,
  BlobType,
  ImageBufferType,
  ImageFormatType,
  TIME_MIN,
  describeImageFormat,
  imageSizeBytes,
} from "@iris/types";
import { arrowTypeSignature } from "../arrow-type-signature.ts";
import type { ParsedArgs } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import type { CliIo } from "../io.ts";
import { type ReadProblem, type Recording, readRecordingFile, storeLabel } from "../read-recording.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

/** Component types whose inner Arrow type must match exactly for Rerun's visualizers to pick them up. */
/**
 * Reader notes that Rerun's own reader only logs and then decodes the data anyway (a stream or Sorbet version
 * newer than the reader): shown as warnings, not problems.
 */
const WARNING_KINDS = new Set(["newer-version", "newer-sorbet-version"]);

const exactTypes = new Map<string, ComponentType<unknown>>(
  [ImageBufferType, ImageFormatType, BlobType].map((t) => [t.name, t as ComponentType<unknown>]),
);

export const verifySpec: CommandSpec = {
  name: "verify",
  summary: "check every message and chunk against the spec (exit 1 on problems)",
  synopsis: "FILE [--json]",
  description:
    "Checks every message and chunk of FILE against the .rrd format and the Sorbet schema Rerun expects\n" +
    "(stores announced before use, chunk ids, sorted flags, component Arrow types, image buffer sizes, …) and\n" +
    "names each problem with its byte offset and a short problem name. A stream or Sorbet version newer than\n" +
    "Iris is a warning (Rerun reads it too), not a problem. Exit code 0 when FILE is clean, 1 when anything is\n" +
    "wrong or FILE cannot be read.",
  options: { json: JSON_OPTION, "max-decompressed-bytes": MAX_DECOMPRESSED_BYTES_OPTION },
  positionals: { min: 1, max: 1, name: "one FILE" },
  run: verifyCommand,
};

/**
 * `iris verify FILE [--json]`: checks every message and chunk against the spec and names each problem with its
 * byte offset. Exit code 1 when anything is wrong.
 */
export function verifyCommand(args: ParsedArgs, io: CliIo): number {
  const path = args.positional[0]!;
  const recording = readRecordingFile(path, readOptionsOf(args));
  const { problems, warnings } = verifyRecordingReport(recording);
  const located = (p: ReadProblem): ReadProblem => ({ offset: p.offset, kind: p.kind, message: p.message });
  if (args.flags.has("json")) {
    const report = {
      file: path,
      ok: problems.length === 0,
      messages: recording.messages.length,
      chunks: recording.chunks.length,
      problems: problems.map(located),
      warnings: warnings.map(located),
    };
    io.stdout(`${terminalSafeJson(report)}\n`);
    return problems.length === 0 ? 0 : 1;
  }
  for (const w of warnings) io.stdout(`@${w.offset} warning ${w.kind}: ${t(w.message)}\n`);
  for (const p of problems) io.stdout(`@${p.offset} ${p.kind}: ${t(p.message)}\n`);
  const noted = warnings.length === 0 ? "" : `, ${warnings.length} warning(s)`;
  io.stdout(
    problems.length === 0
      ? `${t(path)}: ok (${recording.messages.length} messages, ${recording.chunks.length} chunks${noted})\n`
      : `${t(path)}: ${problems.length} problem(s)${noted}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

/** What `iris verify` reports: the problems (exit 1) and the warnings Rerun's reader would only log. */
export interface VerifyReport {
  readonly problems: ReadProblem[];
  readonly warnings: ReadProblem[];
}

/** The problems of `recording` (warnings left out; see `verifyRecordingReport`). */
export function verifyRecording(recording: Recording): ReadProblem[] {
  return verifyRecordingReport(recording).problems;
}

export function verifyRecordingReport(recording: Recording): VerifyReport {
  const problems: ReadProblem[] = [...recording.problems];
  const announced = new Set<string>();
  const timelineTypes = new Map<string, string>();
  const chunkIds = new Set<string>();
  const formats = new Map<string, ImageFormat>();
  const add = (offset: number, kind: string, message: string): void => {
    problems.push({ offset, kind, message });
  };

  for (const { message, offset } of recording.messages) {
    if (message.kind === "setStoreInfo") {
      announced.add(storeKey(message.storeId));
      if (!message.storeId.applicationId)
        add(offset, "missing-application-id", "SetStoreInfo without application id");
    } else if (message.kind === "arrowMsg") {
      if (!announced.has(storeKey(message.storeId))) {
        add(
          offset,
          "store-not-announced",
          `ArrowMsg for ${storeLabel(message.storeId)} before its SetStoreInfo`,
        );
        announced.add(storeKey(message.storeId));
      }
      if (!message.storeId.applicationId)
        add(offset, "missing-application-id", "ArrowMsg without application id");
    }
  }

  for (const { chunk, offset, message } of recording.chunks) {
    const id = chunk.id.toString();
    if (chunkIds.has(id))
      add(offset, "duplicate-chunk-id", `chunk_${id} appears twice (Rerun ignores the second)`);
    chunkIds.add(id);
    if (message.chunkId && !message.chunkId.equals(chunk.id)) {
      add(offset, "chunk-id-mismatch", `ArrowMsg.chunk_id ${message.chunkId} ≠ rerun:id chunk_${id}`);
    }
    if (message.isStatic !== undefined && message.isStatic !== chunk.isStatic) {
      add(
        offset,
        "is-static-mismatch",
        `ArrowMsg.is_static=${message.isStatic} but the chunk is ${chunk.isStatic ? "static" : "temporal"}`,
      );
    }
    checkSchema(tableFromIPC(message.ipc).batches[0]!, offset, add);
    for (const [name, t] of chunk.timelines) {
      const known = timelineTypes.get(name);
      if (known !== undefined && known !== t.timeline.type) {
        add(
          offset,
          "timeline-type-mismatch",
          `timeline ${name} is ${t.timeline.type} here but ${known} elsewhere`,
        );
      }
      timelineTypes.set(name, t.timeline.type);
      if (t.times.some((v) => v < TIME_MIN))
        add(offset, "reserved-time", `timeline ${name} uses i64::MIN (reserved for static)`);
    }
    for (const [component, column] of chunk.components) {
      const typeName = column.descriptor.componentType;
      const expected = typeName === undefined ? undefined : exactTypes.get(typeName);
      const actualInner = column.list.type.children[0]!.type;
      if (expected && arrowTypeSignature(expected.arrowType) !== arrowTypeSignature(actualInner)) {
        add(
          offset,
          "component-type-mismatch",
          `${chunk.entityPath} ${component}: expected ${arrowTypeSignature(expected.arrowType)}, got ${arrowTypeSignature(actualInner)} (Rerun will not show it)`,
        );
      }
    }
    checkImageSizes(chunk, offset, formats, add);
  }
  problems.sort((a, b) => a.offset - b.offset);
  const warnings: ReadProblem[] = [];
  const warned = new Set<string>();
  for (const p of problems) {
    // Like Rerun's `warn_once`: each warning once, at its first offset.
    if (!WARNING_KINDS.has(p.kind) || warned.has(`${p.kind}\u0000${p.message}`)) continue;
    warned.add(`${p.kind}\u0000${p.message}`);
    warnings.push(p);
  }
  return { problems: problems.filter((p) => !WARNING_KINDS.has(p.kind)), warnings };
}

type Add = (offset: number, kind: string, message: string) => void;

function checkSchema(batch: RecordBatch, offset: number, add: Add): void {
  const meta = batch.schema.metadata;
  const version = meta.get(MetadataKey.sorbetVersion);
  if (version === undefined)
    add(offset, "missing-sorbet-version", "no sorbet:version (Rerun runs legacy migrations)");
  else checkSorbetVersion(version, offset, add);
  batch.schema.fields.forEach((field, index) => {
    const kind = field.metadata.get(MetadataKey.kind);
    const data = batch.data.children[index]!;
    if (kind === "control" && field.name !== ROW_ID_COLUMN) {
      add(offset, "row-id-name", `RowId column is named ${field.name}, Rerun writes ${ROW_ID_COLUMN}`);
    }
    if ((kind === "control" || kind === "index") && field.metadata.get(MetadataKey.isSorted) === "true") {
      const values = data.values as Uint8Array | BigInt64Array;
      const width = kind === "control" ? 16 : 1;
      if (!isSorted(values, width, data.length, kind === "control")) {
        add(
          offset,
          "false-is-sorted",
          `${field.name} claims rerun:is_sorted but is not sorted (Rerun trusts the flag)`,
        );
      }
    }
    // A component type is optional (AnyValues and DynamicArchetype columns, e.g. `send_property`, have none);
    // Rerun only needs the component, which it takes from `rerun:component` (or, without it, the field name).
    if ((kind === "data" || kind === undefined) && !field.metadata.has(MetadataKey.component)) {
      add(offset, "missing-descriptor", `column ${field.name} has no ${MetadataKey.component}`);
    }
  });
}

/**
 * Rerun writes Sorbet 0.1.0 (0.24) … 0.1.4 (0.41) and migrates every older one it reads; a newer one it reads
 * anyway with a warning ("consider updating"). Only a version that is not `MAJOR.MINOR.PATCH`, or one that
 * Rerun never wrote explicitly (0.0.x were only ever guessed), is a problem.
 */
function checkSorbetVersion(version: string, offset: number, add: Add): void {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    add(offset, "sorbet-version", `sorbet:version ${version} is not a MAJOR.MINOR.PATCH version`);
  } else if (compareSorbetVersions(version, "0.1.0") < 0) {
    add(offset, "sorbet-version", `sorbet:version ${version}, expected 0.1.0 … ${SORBET_READ_VERSION}`);
  } else if (compareSorbetVersions(version, SORBET_READ_VERSION) > 0) {
    add(
      offset,
      "newer-sorbet-version",
      `sorbet:version ${version} is newer than this reader (${SORBET_READ_VERSION}); reading it anyway`,
    );
  }
}

function isSorted(
  values: Uint8Array | BigInt64Array,
  width: number,
  length: number,
  strict: boolean,
): boolean {
  if (values instanceof BigInt64Array) {
    for (let i = 1; i < length; i++) if (values[i]! < values[i - 1]!) return false;
    return true;
  }
  for (let i = 1; i < length; i++) {
    let cmp = 0;
    for (let k = 0; k < width && cmp === 0; k++) cmp = values[i * width + k]! - values[(i - 1) * width + k]!;
    if (cmp < 0 || (strict && cmp === 0)) return false;
  }
  return true;
}

function checkImageSizes(
  chunk: import("@iris/chunk").Chunk,
  offset: number,
  formats: Map<string, ImageFormat>,
  add: Add,
): void {
  for (const archetype of ["Image", "DepthImage", "SegmentationImage"]) {
    const bufferKey = `${archetype}:buffer`;
    const formatKey = `${archetype}:format`;
    const entityKey = `${chunk.entityPath}\u0000${archetype}`;
    for (let row = 0; row < chunk.numRows; row++) {
      const format = chunk.componentValues(formatKey, row, ImageFormatType)?.[0];
      if (format) formats.set(entityKey, format);
      const buffer = chunk.componentValues(bufferKey, row, ImageBufferType)?.[0];
      const current = formats.get(entityKey);
      if (!buffer || !current) continue;
      let expected: number;
      try {
        expected = imageSizeBytes(current);
      } catch (error) {
        add(offset, "invalid-image-format", `${chunk.entityPath} row ${row}: ${(error as Error).message}`);
        continue;
      }
      if (buffer.length !== expected) {
        add(
          offset,
          "image-size-mismatch",
          `${chunk.entityPath} row ${row}: ${bufferKey} has ${buffer.length} bytes, expected ${expected} for ${describeImageFormat(current)}`,
        );
      }
    }
  }
}
