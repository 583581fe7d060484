import { fromBinary } from "@bufbuild/protobuf";
import { type StoreSource, logMsgPb } from "@iris/rrd";

const { StoreSourceKind, FileSourceKind } = logMsgPb;

const KIND_NAMES: Record<number, string> = {
  [StoreSourceKind.UNSPECIFIED]: "unspecified",
  [StoreSourceKind.C_SDK]: "C SDK",
  [StoreSourceKind.PYTHON_SDK]: "Python SDK",
  [StoreSourceKind.RUST_SDK]: "Rust SDK",
  [StoreSourceKind.FILE]: "file",
  [StoreSourceKind.VIEWER]: "viewer",
  [StoreSourceKind.OTHER]: "other",
};

const FILE_SOURCE_NAMES: Record<number, string> = {
  [FileSourceKind.UNSPECIFIED]: "unspecified",
  [FileSourceKind.CLI]: "command line",
  [FileSourceKind.URI]: "URI",
  [FileSourceKind.DRAG_AND_DROP]: "drag and drop",
  [FileSourceKind.FILE_DIALOG]: "file dialog",
  [FileSourceKind.SDK]: "SDK",
};

/** A StoreSource as data: its kind by name and what its extra payload says (decoded per kind). */
export interface StoreSourceInfo {
  /** "Python SDK", "Rust SDK", "C SDK", "file", "viewer", "other", "unspecified" or "unknown kind N". */
  kind: string;
  /** The numeric `StoreSourceKind`. */
  kindNumber: number;
  /** e.g. "Python 3.11.7", "rustc 1.84.0, LLVM 19.1", "iris 0.1", or undefined when there is no payload. */
  detail: string | undefined;
}

/**
 * Names a StoreSource the way Rerun's own `rrd print` does: the Python SDK's extra payload is a `PythonVersion`
 * protobuf, the Rust SDK's a `CrateInfo`, a file's a `FileSource`, OTHER's a UTF-8 string.
 */
export function describeStoreSource(source: StoreSource): StoreSourceInfo {
  const kind = KIND_NAMES[source.kind] ?? `unknown kind ${source.kind}`;
  const extra = source.extra;
  return {
    kind,
    kindNumber: source.kind,
    detail: extra === undefined ? undefined : extraText(source.kind, extra),
  };
}

/** `Python SDK (Python 3.11.7)`. */
export function formatStoreSource(info: StoreSourceInfo): string {
  return info.detail === undefined || info.detail === "" ? info.kind : `${info.kind} (${info.detail})`;
}

function extraText(kind: number, extra: Uint8Array): string {
  try {
    switch (kind) {
      case StoreSourceKind.PYTHON_SDK: {
        const v = fromBinary(logMsgPb.PythonVersionSchema, extra);
        return `Python ${v.major}.${v.minor}.${v.patch}${v.suffix}`;
      }
      case StoreSourceKind.RUST_SDK: {
        const c = fromBinary(logMsgPb.CrateInfoSchema, extra);
        return [c.rustcVersion && `rustc ${c.rustcVersion}`, c.llvmVersion && `LLVM ${c.llvmVersion}`]
          .filter(Boolean)
          .join(", ");
      }
      case StoreSourceKind.FILE: {
        const f = fromBinary(logMsgPb.FileSourceSchema, extra);
        return `via ${FILE_SOURCE_NAMES[f.kind] ?? `unknown file source ${f.kind}`}`;
      }
      default:
        return new TextDecoder("utf-8", { fatal: true }).decode(extra);
    }
  } catch {
    return `${extra.length} bytes of unreadable source details`;
  }
}
