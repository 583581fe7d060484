"""Reads the image buffers and blobs of an .rrd file back with the real Rerun 0.41 Python API, two ways.

Usage: python read_image_columns.py FILE.rrd [TIMELINE...]   (no timeline: the chunk stream only)

Prints JSON:
  "server": {TIMELINE: [{"column", "time", "sha256", "size"}...]}: rr.server.Server(datasets={"d": [FILE]}) →
      client.get_dataset("d").reader(index=TIMELINE), every non-null ImageBuffer / Blob cell of the dataframe;
  "chunks": [{"entity", "component", "static", "times", "sha256", "size"}...]: rr.chunk.RrdReader(FILE).stream(),
      every cell of every chunk of the first recording store, as stored.
Times are decimal strings (int64 nanoseconds do not fit a JSON number).
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings

import pyarrow as pa
import rerun as rr

BYTE_COMPONENTS = {b"rerun.components.ImageBuffer", b"rerun.components.Blob"}


def cell_bytes(cell: object) -> bytes:
    """One ImageBuffer / Blob instance (a list<uint8> scalar) as bytes."""
    return bytes(cell.values.to_numpy(zero_copy_only=False).tobytes())  # type: ignore[attr-defined]


def as_int(column: pa.ChunkedArray | pa.Array, row: int) -> str:
    value = column[row]
    if pa.types.is_timestamp(value.type) or pa.types.is_duration(value.type):
        value = value.cast(pa.int64())
    return str(value.as_py())


def read_server(path: str, timelines: list[str]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    with rr.server.Server(host="127.0.0.1", datasets={"d": [path]}) as server:
        dataset = server.client().get_dataset("d")
        for timeline in timelines:
            table = dataset.reader(index=timeline).to_arrow_table()
            cells = []
            for i, field in enumerate(table.schema):
                meta = field.metadata or {}
                if meta.get(b"rerun:component_type") not in BYTE_COMPONENTS:
                    continue
                column = table.column(i)
                for row in range(table.num_rows):
                    value = column[row]
                    if not value.is_valid:
                        continue
                    for instance in value.values:
                        data = cell_bytes(instance)
                        cells.append(
                            {
                                "column": field.name,
                                "time": as_int(table.column(timeline), row),
                                "sha256": hashlib.sha256(data).hexdigest(),
                                "size": len(data),
                            }
                        )
            out[timeline] = cells
    return out


def read_chunks(path: str) -> list[dict[str, object]]:
    cells = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "RRD file has no footer/manifest" for legacy-style files
        reader = rr.chunk.RrdReader(path)
    for chunk in reader.stream():
        batch = chunk.to_record_batch()
        timelines = [
            (f.name, i) for i, f in enumerate(batch.schema) if (f.metadata or {}).get(b"rerun:kind") == b"index"
        ]
        for i, field in enumerate(batch.schema):
            meta = field.metadata or {}
            if meta.get(b"rerun:component_type") not in BYTE_COMPONENTS:
                continue
            column = batch.column(i)
            for row in range(batch.num_rows):
                value = column[row]
                if not value.is_valid:
                    continue
                for instance in value.values:
                    data = cell_bytes(instance)
                    cells.append(
                        {
                            "entity": chunk.entity_path,
                            "component": meta.get(b"rerun:component", b"").decode(),
                            "static": chunk.is_static,
                            "times": {name: as_int(batch.column(j), row) for name, j in timelines},
                            "sha256": hashlib.sha256(data).hexdigest(),
                            "size": len(data),
                        }
                    )
    return cells


def main() -> None:
    path, timelines = sys.argv[1], sys.argv[2:]
    server = read_server(path, timelines) if timelines else {}
    print(json.dumps({"chunks": read_chunks(path), "server": server}))


if __name__ == "__main__":
    main()
