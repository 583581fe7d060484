"""Streams frames live with the real Rerun SDK: rr.connect_grpc(URL), then logs FRAMES images and waits.

Usage: python log_live.py URL OUTDIR FRAMES

Each frame t (sequence timeline "frame") logs /camera/rgb (48×32 RGB U8) and /camera/depth (DepthImage 24×16 U16,
meter 1000) from numpy's default_rng(7); the exact bytes go to OUTDIR/live_rgb_<t>.bin and OUTDIR/live_depth_<t>.bin.
Flushes and disconnects before exiting, so every frame has been handed to the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import rerun as rr


def main() -> None:
    url, out, frames = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    rec = rr.RecordingStream("rerun_example_oracle_live", recording_id="oracle-live")
    rec.connect_grpc(url)
    rng = np.random.default_rng(7)
    for t in range(frames):
        rgb = rng.integers(0, 255, size=(32, 48, 3), dtype=np.uint8, endpoint=True)
        depth = rng.integers(0, 65535, size=(16, 24), dtype=np.uint16, endpoint=True)
        rec.set_time("frame", sequence=t)
        rec.log("camera/rgb", rr.Image(rgb))
        rec.log("camera/depth", rr.DepthImage(depth, meter=1000.0))
        (out / f"live_rgb_{t}.bin").write_bytes(rgb.tobytes())
        (out / f"live_depth_{t}.bin").write_bytes(depth.tobytes())
    rec.flush(timeout_sec=30)
    rec.disconnect()


if __name__ == "__main__":
    main()
