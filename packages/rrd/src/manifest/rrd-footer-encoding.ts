import { create, toBinary } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2";
import { type RecordBatch, type Schema } from "apache-arrow";
import { Schema as ArrowSchema } from "apache-arrow";
import { framedSchemaMessage, recordBatchToIpcParts } from "@iris/chunk";
import { concatBytes } from "@iris/types";
import {
  Compression,
  DataframePartSchema,
  EncoderVersion,
  SchemaSchema,
} from "../gen/rerun/v1alpha1/common_pb.ts";
import {
  type RrdManifest as RrdManifestProto,
  RrdFooterSchema,
  RrdManifestSchema,
} from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import { type Lz4Codec, lz4 as defaultLz4 } from "../lz4/index.ts";
import { storeIdToProto } from "../message-to-proto.ts";
import type { StoreId } from "../rrd-message.ts";
import type { RrdManifestBuilder } from "./rrd-manifest-builder.ts";

export interface FooterEncodingOptions {
  compression: "lz4" | "none";
  lz4?: Lz4Codec;
}

/** The `RrdFooter` protobuf payload of an End message: one manifest per store that had at least one chunk. */
export function encodeRrdFooter(
  stores: Iterable<{ storeId: StoreId; manifest: RrdManifestBuilder }>,
  options: FooterEncodingOptions,
): Uint8Array {
  const manifests: RrdManifestProto[] = [];
  for (const { storeId, manifest } of stores) {
    if (manifest.numChunks === 0) continue;
    const { data, sorbetSchema } = manifest.build();
    manifests.push(
      create(RrdManifestSchema, {
        storeId: storeIdToProto(storeId),
        sorbetSchema: create(SchemaSchema, { arrowSchema: schemaToIpc(sorbetSchema) }),
        sorbetSchemaSha256: sorbetSchemaSha256(sorbetSchema),
        data: dataframePart(data, options),
      }),
    );
  }
  return toBinary(RrdFooterSchema, create(RrdFooterSchema, { manifests }));
}

/** The end-of-stream marker of an Arrow IPC stream (continuation marker, then a 0 size). */
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * An Arrow IPC stream holding only the schema message and the end-of-stream marker (apache-arrow's stream writer's
 * bytes; the schema message comes from the cache of encoded schemas, as a recording's schema repeats per file).
 */
export function schemaToIpc(schema: Schema): Uint8Array {
  return concatBytes([framedSchemaMessage(schema), END_OF_STREAM]);
}

/**
 * SHA-256 of the schema as an IPC stream with its fields sorted by name and no schema metadata (Rerun's
 * `compute_sorbet_schema_sha256`). Rerun's own IPC bytes come from arrow-rs, so the digest can differ from the
 * one Rerun computes for the same schema; Rerun checks it only in its own tests (`sanity_check_heavy`).
 */
export function sorbetSchemaSha256(schema: Schema): Uint8Array {
  const fields = [...schema.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256(schemaToIpc(new ArrowSchema(fields)));
}

function dataframePart(batch: RecordBatch, options: FooterEncodingOptions) {
  // tableToIPC's bytes, with the schema and record batch messages from the encoded-message caches.
  const ipc = concatBytes(recordBatchToIpcParts(batch));
  if (options.compression === "lz4") {
    const compressed = (options.lz4 ?? defaultLz4).compressBlock(ipc);
    if (compressed.length > 0 && compressed.length < ipc.length) {
      return create(DataframePartSchema, {
        encoderVersion: EncoderVersion.V0,
        payload: compressed,
        compression: Compression.LZ4,
        uncompressedSize: BigInt(ipc.length),
      });
    }
  }
  return create(DataframePartSchema, {
    encoderVersion: EncoderVersion.V0,
    payload: ipc,
    compression: Compression.NONE,
    uncompressedSize: BigInt(ipc.length),
  });
}
