import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { type FileSource, openFileSource } from "@iris/rrd/node";
import { systemErrorText } from "../describe-error.ts";
import {
  DATASET_INDEX_FILE,
  DATASET_INDEX_VERSION,
  type DatasetIndex,
  type MemberEntry,
} from "./dataset-types.ts";
import { indexMember } from "./index-member.ts";

export interface IndexDatasetOptions {
  /** Opens a member for reading (default `openFileSource`); tests count reads through it. */
  open?: (path: string) => FileSource;
  /** Called before each member that is (re-)read, with how many are to be read in all. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Re-read every member even if its size and mtime are unchanged. */
  full?: boolean;
}

export interface IndexReport {
  readonly index: DatasetIndex;
  /** Members read this time (new or changed), relative paths. */
  readonly indexed: string[];
  /** Members kept from the previous index (same size and mtime). */
  readonly unchanged: string[];
  /** Members of the previous index whose file is gone. */
  readonly removed: string[];
  /** Members that could not be indexed, with why. */
  readonly failed: { file: string; error: string }[];
}

/** The `.rrd` files under `root` (recursively, skipping dot-directories), as sorted relative `/` paths. */
export function listMembers(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".rrd"))
        out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

/** The saved index of `root`, or undefined when there is none (or it is of another version or unreadable). */
export function loadDatasetIndex(root: string): DatasetIndex | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, DATASET_INDEX_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const index = JSON.parse(text) as DatasetIndex;
    return index.version === DATASET_INDEX_VERSION && Array.isArray(index.members) ? index : undefined;
  } catch {
    return undefined;
  }
}

export function saveDatasetIndex(root: string, index: DatasetIndex): void {
  const path = join(root, DATASET_INDEX_FILE);
  // Written beside and renamed, so a reader never sees half an index.
  writeFileSync(`${path}.tmp`, JSON.stringify(index));
  renameSync(`${path}.tmp`, path);
}

/**
 * Brings the index of the dataset in `root` up to date and saves it (`DATASET_INDEX_FILE` in `root`): members
 * whose size and mtime match the saved index are kept as they are, new or changed ones are read, removed ones
 * dropped. A member that cannot be read is kept with its `error` (and re-read once it changes); it never stops
 * the others.
 */
export function indexDataset(root: string, options: IndexDatasetOptions = {}): IndexReport {
  const open = options.open ?? openFileSource;
  const previous = options.full ? undefined : loadDatasetIndex(root);
  const before = new Map((previous?.members ?? []).map((m) => [m.file, m]));
  const files = listMembers(root);
  const present = new Set(files);
  const members: MemberEntry[] = [];
  const indexed: string[] = [];
  const unchanged: string[] = [];
  const failed: { file: string; error: string }[] = [];
  const work: { file: string; size: number; mtimeMs: number }[] = [];
  const slots = new Map<string, number>();
  for (const file of files) {
    let stat;
    try {
      stat = statSync(join(root, file));
    } catch (error) {
      const message = `cannot stat: ${systemErrorText(error) ?? (error as Error).message}`;
      members.push(failedMember(file, 0, 0, message));
      failed.push({ file, error: message });
      continue;
    }
    const old = before.get(file);
    if (old !== undefined && old.size === stat.size && old.mtimeMs === stat.mtimeMs) {
      members.push(old);
      unchanged.push(file);
      if (old.error !== null) failed.push({ file, error: old.error });
      continue;
    }
    slots.set(file, members.length);
    members.push(failedMember(file, stat.size, stat.mtimeMs, "not indexed"));
    work.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  work.forEach(({ file, size, mtimeMs }, i) => {
    options.onProgress?.(i, work.length, file);
    let member: MemberEntry;
    let source: FileSource | undefined;
    try {
      source = open(join(root, file));
      member = indexMember(file, source, { size, mtimeMs });
    } catch (error) {
      const message = describeMemberError(error);
      member = failedMember(file, size, mtimeMs, message);
      failed.push({ file, error: message });
    } finally {
      source?.close();
    }
    members[slots.get(file)!] = member;
    indexed.push(file);
  });
  options.onProgress?.(work.length, work.length, "");
  const removed = [...before.keys()].filter((f) => !present.has(f));
  const index: DatasetIndex = { version: DATASET_INDEX_VERSION, members };
  saveDatasetIndex(root, index);
  return { index, indexed, unchanged, removed, failed };
}

function failedMember(file: string, size: number, mtimeMs: number, error: string): MemberEntry {
  return {
    file,
    size,
    mtimeMs,
    indexedWith: "none",
    error,
    notes: [],
    recordings: [],
    chunks: [],
    images: [],
  };
}

function describeMemberError(error: unknown): string {
  const system = systemErrorText(error);
  if (system !== undefined) return system;
  const kind = (error as { kind?: string }).kind;
  const message = error instanceof Error ? error.message : String(error);
  return kind === undefined ? message : `${kind}: ${message}`;
}
