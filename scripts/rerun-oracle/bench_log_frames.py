"""Peer benchmark half (bench/rerun-sdk-peer.ts): logs N 1920×1080 RGB8 frames to an .rrd with the real Rerun SDK.

Usage: python bench_log_frames.py FRAMES.bin COUNT OUT.rrd

FRAMES.bin holds K raw 1920×1080×3 frames (written by the bench, the same bytes Iris logs); frame i is frame
i mod K. Loading them is not timed. Timed: RecordingStream + save(), COUNT × (set_time, log(rr.Image)), flush and
disconnect (the file is complete). Prints JSON {"wallMs", "cpuMs"}; CPU is the process's user + system time
(every thread, including the SDK's batcher and writer threads).
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import rerun as rr

WIDTH, HEIGHT = 1920, 1080


def main() -> None:
    frames_path, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    frames = np.fromfile(frames_path, dtype=np.uint8).reshape(-1, HEIGHT, WIDTH, 3)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    rec = rr.RecordingStream("rerun_bench_peer")
    rec.save(out)
    for i in range(count):
        rec.set_time("frame", sequence=i)
        rec.log("camera/image", rr.Image(frames[i % len(frames)], color_model="RGB"))
    rec.flush()
    rec.disconnect()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(json.dumps({"wallMs": wall * 1000, "cpuMs": cpu * 1000}))


if __name__ == "__main__":
    main()
