"""Four images logged with the real Rerun SDK for the Iris viewer's pixel check (tests/browser/rerun-oracle-*).

Usage: python log_viewer_images.py OUTDIR

Writes OUTDIR/viewer.rrd: one image per root entity (so each gets its own 2D view), 32×24 px, random values from
numpy's default_rng(5): /rgb (RGB U8), /bgra (BGRA U8, alpha 255), /gray (L U8), /nv12 (NV12 bytes); and
OUTDIR/<name>.bin with the exact bytes plus OUTDIR/viewer.json listing them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import rerun as rr

W, H = 32, 24


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(5)
    rec = rr.RecordingStream("rerun_example_oracle_viewer", recording_id="oracle-viewer")
    rec.save(out / "viewer.rrd")
    items = []
    rgb = rng.integers(0, 255, size=(H, W, 3), dtype=np.uint8, endpoint=True)
    rec.log("rgb", rr.Image(rgb))
    items.append({"entity": "/rgb", "colorModel": "RGB", "datatype": "U8", "bytes": rgb.tobytes()})
    bgra = rng.integers(0, 255, size=(H, W, 4), dtype=np.uint8, endpoint=True)
    bgra[:, :, 3] = 255
    rec.log("bgra", rr.Image(bgra, color_model="BGRA"))
    items.append({"entity": "/bgra", "colorModel": "BGRA", "datatype": "U8", "bytes": bgra.tobytes()})
    gray = rng.integers(0, 255, size=(H, W), dtype=np.uint8, endpoint=True)
    rec.log("gray", rr.Image(gray))
    items.append({"entity": "/gray", "colorModel": "L", "datatype": "U8", "bytes": gray.tobytes()})
    nv12 = rng.integers(16, 235, size=W * H * 3 // 2, dtype=np.uint8, endpoint=True).tobytes()
    rec.log("nv12", rr.Image(bytes=nv12, width=W, height=H, pixel_format=rr.PixelFormat.NV12))
    items.append({"entity": "/nv12", "pixelFormat": "NV12", "bytes": nv12})
    rec.flush()
    rec.disconnect()
    manifest = []
    for item in items:
        name = item["entity"].strip("/")
        (out / f"{name}.bin").write_bytes(item.pop("bytes"))
        manifest.append({**item, "width": W, "height": H, "file": f"{name}.bin"})
    (out / "viewer.json").write_text(json.dumps(manifest))


if __name__ == "__main__":
    main()
