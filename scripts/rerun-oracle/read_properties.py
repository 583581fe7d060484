"""Reads the recording properties of .rrd files with the real Rerun 0.41 Python API.

Usage: python read_properties.py FILE.rrd...

Serves the files as one dataset (rr.server.Server(datasets={"d": FILES})) and prints, as JSON, one entry per
segment (recording) of its segment table: {"segment": recording id, "properties": {column: [values as strings]}}
for every `property:` column. This is where Rerun's catalog shows a recording's name and start time.
"""

from __future__ import annotations

import json
import sys

import rerun as rr


def main() -> None:
    files = sys.argv[1:]
    with rr.server.Server(host="127.0.0.1", datasets={"d": files}) as server:
        client = server.client()  # kept alive while the table is read (DataFusion reads through it)
        table = client.get_dataset("d").segment_table().to_arrow_table()
    out = []
    for row in range(table.num_rows):
        properties = {}
        for name in table.schema.names:
            if name.startswith("property:"):
                value = table.column(name)[row].as_py()
                properties[name] = None if value is None else [str(v) for v in value]
        out.append({"segment": table.column("rerun_segment_id")[row].as_py(), "properties": properties})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
