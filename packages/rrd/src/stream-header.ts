import {
  type CrateVersion,
  OLDEST_READABLE_VERSION,
  RERUN_VERSION,
  compareCrateVersions,
  crateVersionFromBytes,
  crateVersionToBytes,
  formatCrateVersion,
} from "./crate-version.ts";
import { RrdError } from "./rrd-error.ts";

/** Byte length of a StreamHeader. */
export const STREAM_HEADER_BYTES = 12;

/** FourCC of every stream Rerun ≥ 0.23 writes (`RRF2`). */
export const RRD_MAGIC = Uint8Array.of(0x52, 0x52, 0x46, 0x32);

/** Serializer byte for Protobuf, the only one Rerun 0.33 reads. */
export const SERIALIZER_PROTOBUF = 2;

/**
 * The 12-byte header at the start of every `.rrd` stream: `RRF2`, the writer's version, the compression byte,
 * the serializer byte and two reserved zero bytes.
 *
 * `compression` is advisory only: Rerun's decoder checks it is 0 or 1 and then ignores it, because every
 * `ArrowMsg` carries its own `compression`. Iris writes `"lz4"` (1) when its encoder may LZ4-compress
 * messages, as Rerun's own file sink does, and `"none"` (0) when it never compresses.
 */
export interface StreamHeader {
  version: CrateVersion;
  compression: "none" | "lz4";
}

export function encodeStreamHeader(header: StreamHeader): Uint8Array {
  const out = new Uint8Array(STREAM_HEADER_BYTES);
  out.set(RRD_MAGIC, 0);
  out.set(crateVersionToBytes(header.version), 4);
  out[8] = header.compression === "lz4" ? 1 : 0;
  out[9] = SERIALIZER_PROTOBUF;
  return out;
}

/**
 * Parses and validates a StreamHeader with Rerun 0.33's rules. Throws `RrdError`: `RRF0`/`RRF1` → "old-version",
 * any other magic → "not-rrd", a version older than 0.23 (all-zero reads as 0.2.0) → "incompatible-version",
 * a bad compression byte, serializer or reserved bytes → their own kinds. A newer version is accepted; check
 * `isNewerThanReader` to warn about it.
 */
export function parseStreamHeader(bytes: Uint8Array, offset = 0): StreamHeader {
  if (bytes.length - offset < STREAM_HEADER_BYTES) {
    throw new RrdError(
      "truncated",
      `a stream header needs ${STREAM_HEADER_BYTES} bytes, got ${Math.max(0, bytes.length - offset)}`,
    );
  }
  const magic = bytes.subarray(offset, offset + 4);
  if (!hasRrdMagic(magic)) {
    if (
      magic[0] === 0x52 &&
      magic[1] === 0x52 &&
      magic[2] === 0x46 &&
      (magic[3] === 0x30 || magic[3] === 0x31)
    ) {
      throw new RrdError("old-version", `stream magic ${formatMagic(magic)} is from Rerun older than 0.23`);
    }
    throw new RrdError("not-rrd", `not an RRD stream: expected magic "RRF2", got ${formatMagic(magic)}`);
  }
  let version = crateVersionFromBytes(bytes, offset + 4);
  if (version.major === 0 && version.minor === 0 && version.patch === 0 && version.meta === 0) {
    version = { major: 0, minor: 2, patch: 0, meta: 0 };
  }
  if (compareCrateVersions(version, OLDEST_READABLE_VERSION) < 0) {
    throw new RrdError(
      "incompatible-version",
      `stream was written by version ${formatCrateVersion(version)}, older than the oldest readable ` +
        `${formatCrateVersion(OLDEST_READABLE_VERSION)}`,
    );
  }
  const compressionByte = bytes[offset + 8]!;
  if (compressionByte > 1) {
    throw new RrdError(
      "unsupported-compression",
      `stream header compression must be 0 or 1, got ${compressionByte}`,
    );
  }
  const serializer = bytes[offset + 9]!;
  if (serializer !== SERIALIZER_PROTOBUF) {
    const detail = serializer === 1 ? " (MsgPack, removed in Rerun 0.23)" : "";
    throw new RrdError(
      "unsupported-serializer",
      `stream header serializer must be ${SERIALIZER_PROTOBUF} (Protobuf), got ${serializer}${detail}`,
    );
  }
  if (bytes[offset + 10] !== 0 || bytes[offset + 11] !== 0) {
    throw new RrdError(
      "bad-reserved-bytes",
      `stream header reserved bytes must be zero, got ${bytes[offset + 10]} ${bytes[offset + 11]}`,
    );
  }
  return { version, compression: compressionByte === 1 ? "lz4" : "none" };
}

/** True if `version` is newer than the Rerun version this library implements (readable, but worth a warning). */
export function isNewerThanReader(version: CrateVersion): boolean {
  return compareCrateVersions(version, RERUN_VERSION) > 0;
}

export function hasRrdMagic(bytes: Uint8Array, offset = 0): boolean {
  return (
    bytes[offset] === RRD_MAGIC[0] &&
    bytes[offset + 1] === RRD_MAGIC[1] &&
    bytes[offset + 2] === RRD_MAGIC[2] &&
    bytes[offset + 3] === RRD_MAGIC[3]
  );
}

function formatMagic(magic: Uint8Array): string {
  return Array.from(magic, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
