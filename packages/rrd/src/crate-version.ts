import { RrdError } from "./rrd-error.ts";

/**
 * The version of the crate (or library) that wrote a stream: Rerun's `CrateVersion`. `meta` is the raw fourth byte:
 * 0 = release, `0b01NNNNNN` = `-rc.N`, `0b10NNNNNN` = `-alpha.N`, `0b11NNNNNN` = `-alpha.N+dev`.
 */
export interface CrateVersion {
  major: number;
  minor: number;
  patch: number;
  meta: number;
}

/** The Rerun version whose format Iris reads and writes. */
export const RERUN_VERSION: CrateVersion = Object.freeze({ major: 0, minor: 33, patch: 0, meta: 0 });

/** Oldest `RRF2` version Rerun 0.33 still reads. */
export const OLDEST_READABLE_VERSION: CrateVersion = Object.freeze({
  major: 0,
  minor: 23,
  patch: 0,
  meta: 0,
});

export function crateVersionToBytes(version: CrateVersion): Uint8Array {
  const bytes = [version.major, version.minor, version.patch, version.meta];
  for (const byte of bytes) {
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
      throw new RrdError(
        "invalid-argument",
        `crate version parts must be bytes, got ${formatCrateVersion(version)}`,
      );
    }
  }
  return Uint8Array.from(bytes);
}

export function crateVersionFromBytes(bytes: Uint8Array, offset = 0): CrateVersion {
  return {
    major: bytes[offset] ?? 0,
    minor: bytes[offset + 1] ?? 0,
    patch: bytes[offset + 2] ?? 0,
    meta: bytes[offset + 3] ?? 0,
  };
}

/** `StoreVersion.crate_version_bits`: the four version bytes read as a little-endian i32 (0.33.0 → 8448). */
export function crateVersionToBits(version: CrateVersion): number {
  const bytes = crateVersionToBytes(version);
  return new DataView(bytes.buffer).getInt32(0, true);
}

export function crateVersionFromBits(bits: number): CrateVersion {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, bits, true);
  return crateVersionFromBytes(bytes);
}

/** Orders by major, minor, patch; the pre-release byte is ignored. */
export function compareCrateVersions(a: CrateVersion, b: CrateVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatCrateVersion(version: CrateVersion): string {
  const base = `${version.major}.${version.minor}.${version.patch}`;
  const n = version.meta & 0b0011_1111;
  switch (version.meta >> 6) {
    case 0:
      return version.meta === 0 ? base : `${base}+meta.${version.meta}`;
    case 1:
      return `${base}-rc.${n}`;
    case 2:
      return `${base}-alpha.${n}`;
    default:
      return `${base}-alpha.${n}+dev`;
  }
}
