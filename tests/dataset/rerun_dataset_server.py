"""Serves a folder of .rrd files with Rerun's own dataset server (rr.server.Server(datasets=...), offline) and
prints, as JSON, the segment ids and the /camera rows (segment, frame, image buffer as hex) Rerun reads from them.

usage: python rerun_dataset_server.py DIR
"""

import json
import sys

import rerun as rr

server = rr.server.Server(host="127.0.0.1", port=0, datasets={"fleet": sys.argv[1]})
try:
    dataset = server.client().get_dataset("fleet")
    frame = dataset.filter_contents(["/camera/**"]).reader(index="frame").to_pandas()
    rows = []
    for _, r in frame.iterrows():
        buffer = r["/camera:Image:buffer"]
        blob = None if buffer is None else bytes(bytearray(buffer[0])).hex()
        rows.append([r["rerun_segment_id"], int(r["frame"]), blob])
    print(json.dumps({"segments": sorted(dataset.segment_ids()), "rows": sorted(rows)}))
finally:
    server.shutdown()
